#include "core/heap.h"

#include <cstdint>
#include <cstdlib>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#endif

namespace cmdai {

#if defined(__GLIBC__)
namespace {

constexpr std::size_t k_huge_page = std::size_t{2} << 20;
// glibc's largest mmap threshold on 64-bit systems: blocks up to this size
// come from the heap (brk) once the threshold is set to it.
constexpr std::size_t k_heap_block = std::size_t{32} << 20;

void advise_huge(void* block, std::size_t bytes) {
  const auto begin = reinterpret_cast<std::uintptr_t>(block);
  const std::uintptr_t first = (begin + k_huge_page - 1) & ~(k_huge_page - 1);
  const std::uintptr_t last = (begin + bytes) & ~(k_huge_page - 1);
  if (last > first) (void)madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

// True if `next` starts right after `block` (allowing for the allocator's
// chunk header between them).
bool adjacent(const void* block, const void* next, std::size_t bytes) {
  constexpr std::uintptr_t k_header_room = 64;
  const auto end = reinterpret_cast<std::uintptr_t>(block) + bytes;
  const auto start = reinterpret_cast<std::uintptr_t>(next);
  return start >= end && start - end <= k_header_room;
}

}  // namespace

void grow_heap_on_huge_pages(std::size_t bytes) {
  // Blocks below the threshold come from the heap, and freed room at its
  // top stays there instead of going back to the kernel.
  if (mallopt(M_MMAP_THRESHOLD, static_cast<int>(k_heap_block)) == 0) return;
  if (mallopt(M_TRIM_THRESHOLD, static_cast<int>(2 * bytes + k_heap_block)) == 0) return;
  std::vector<void*> blocks;
  blocks.reserve(bytes / k_heap_block + 1);
  const std::size_t block_bytes = k_heap_block - 4096;  // under the threshold, with the allocator's header
  for (std::size_t grown = 0; grown < bytes; grown += block_bytes) {
    void* block = std::malloc(block_bytes);
    if (block == nullptr) break;
    blocks.push_back(block);
  }
  // Blocks that follow each other at the heap's top get one advice, which
  // also covers the allocator's headers between them; any other block
  // (another thread allocated in between) gets its own.
  std::size_t run = 0;
  for (std::size_t i = 1; i <= blocks.size(); ++i) {
    if (i < blocks.size() && adjacent(blocks[i - 1], blocks[i], block_bytes)) continue;
    const auto first = reinterpret_cast<std::uintptr_t>(blocks[run]);
    advise_huge(blocks[run], reinterpret_cast<std::uintptr_t>(blocks[i - 1]) + block_bytes - first);
    run = i;
  }
  for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) std::free(*it);
}

#else

void grow_heap_on_huge_pages(std::size_t) {}

#endif

}  // namespace cmdai
