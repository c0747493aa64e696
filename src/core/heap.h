#pragma once
// The process's heap on transparent huge pages, for work that fills
// hundreds of megabytes of small allocations at once (an import's page
// cache and full-text index): on 4 KiB pages each first touch of a page is
// a page fault, which in a virtual machine costs more than the work that
// touches it. On a 2 MiB page one fault covers 512 of them.

#include <cstddef>

namespace cmdai {

// Grows the heap of the calling thread's allocator (glibc's main arena, used
// by the program's first thread) by `bytes`, asks the kernel to back that
// room with transparent huge pages (madvise MADV_HUGEPAGE, honoured when
// /sys/kernel/mm/transparent_hugepage/enabled is "always" or "madvise"), and
// hands it back to the allocator, which then serves the next allocations
// from it and keeps it (the heap is no longer trimmed). Call on the
// program's first thread before the allocations it is for. Does nothing
// where the C library is not glibc; failures only cost the speed-up.
void grow_heap_on_huge_pages(std::size_t bytes);

}  // namespace cmdai
