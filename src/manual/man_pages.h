#pragma once
// The man pages installed on this machine, read offline: where a program's
// page is (the first of sections 1, 8 and 6 under each directory of
// MANPATH, else /usr/local/share/man and /usr/share/man: the places `man -w`
// looks), its roff text (gzip-compressed pages are read with zlib) and what
// it says about options, cached as JSON under cache_dir by the page's path,
// size and time, so a page is parsed once until it changes.

#include <filesystem>
#include <optional>
#include <string>

#include "core/env.h"
#include "core/error.h"
#include "manual/roff_options.h"

namespace cmdai::manual {

std::optional<std::filesystem::path> locate_page(const Env& env, const std::string& name);

// The page's text. Errors: io_error (unreadable, or not gzip when named .gz).
Result<std::string> read_page(const std::filesystem::path& page);

// What `name`'s page says, from the cache when it is current; nullopt when
// the machine has no page for it. cache_dir is created when missing; a
// cache that cannot be written is only slower.
std::optional<PageOptions> page_options(Env& env, const std::string& name, const std::filesystem::path& cache_dir);

}  // namespace cmdai::manual
