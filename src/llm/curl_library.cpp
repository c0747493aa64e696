#include "llm/curl_library.h"

#include <string>

#include "core/shared_library.h"

namespace cmdai::llm {
namespace {

Result<CurlLibrary> open_library() {
  auto opened =
      open_shared_library("libcurl.so.4", "libcurl", "install it (apt-get install libcurl4) to use server backends");
  if (!opened) return fail(opened.error());
  // The handle stays open for the life of the process: libcurl keeps global state.
  void* handle = *opened;
  CurlLibrary lib;
  std::string missing;
  bind_symbol(handle, "curl_easy_init", lib.easy_init, missing);
  bind_symbol(handle, "curl_easy_cleanup", lib.easy_cleanup, missing);
  bind_symbol(handle, "curl_easy_reset", lib.easy_reset, missing);
  bind_symbol(handle, "curl_easy_setopt", lib.easy_setopt, missing);
  bind_symbol(handle, "curl_easy_getinfo", lib.easy_getinfo, missing);
  bind_symbol(handle, "curl_easy_strerror", lib.easy_strerror, missing);
  bind_symbol(handle, "curl_multi_init", lib.multi_init, missing);
  bind_symbol(handle, "curl_multi_cleanup", lib.multi_cleanup, missing);
  bind_symbol(handle, "curl_multi_add_handle", lib.multi_add_handle, missing);
  bind_symbol(handle, "curl_multi_remove_handle", lib.multi_remove_handle, missing);
  bind_symbol(handle, "curl_multi_perform", lib.multi_perform, missing);
  bind_symbol(handle, "curl_multi_poll", lib.multi_poll, missing);
  bind_symbol(handle, "curl_multi_wakeup", lib.multi_wakeup, missing);
  bind_symbol(handle, "curl_multi_info_read", lib.multi_info_read, missing);
  bind_symbol(handle, "curl_slist_append", lib.slist_append, missing);
  bind_symbol(handle, "curl_slist_free_all", lib.slist_free_all, missing);
  decltype(&::curl_global_init) global_init = nullptr;
  bind_symbol(handle, "curl_global_init", global_init, missing);
  if (!missing.empty()) {
    return fail(ErrorCode::unavailable, "the installed libcurl lacks " + missing,
                "cmdai needs libcurl 7.68 or newer for server backends");
  }
  if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    return fail(ErrorCode::unavailable, "libcurl could not be initialised");
  }
  return lib;
}

}  // namespace

Result<const CurlLibrary*> curl_library() {
  // C++ guarantees this runs once, even with several threads.
  static const Result<CurlLibrary> library = open_library();
  if (!library) return fail(library.error());
  return &*library;
}

}  // namespace cmdai::llm
