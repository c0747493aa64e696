#include "llm/curl_library.h"

#include <dlfcn.h>

#include <string>

namespace cmdai::llm {
namespace {

template <typename Function>
bool bind(void* handle, const char* name, Function& target, std::string& missing) {
  target = reinterpret_cast<Function>(::dlsym(handle, name));
  if (target == nullptr && missing.empty()) missing = name;
  return target != nullptr;
}

Result<CurlLibrary> open_library() {
  void* handle = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    return fail(ErrorCode::unavailable, std::string("libcurl could not be loaded: ") + (why ? why : "unknown error"),
                "install it (apt-get install libcurl4) to use server backends");
  }
  // The handle stays open for the life of the process: libcurl keeps global state.
  CurlLibrary lib;
  std::string missing;
  bind(handle, "curl_easy_init", lib.easy_init, missing);
  bind(handle, "curl_easy_cleanup", lib.easy_cleanup, missing);
  bind(handle, "curl_easy_reset", lib.easy_reset, missing);
  bind(handle, "curl_easy_setopt", lib.easy_setopt, missing);
  bind(handle, "curl_easy_getinfo", lib.easy_getinfo, missing);
  bind(handle, "curl_easy_strerror", lib.easy_strerror, missing);
  bind(handle, "curl_multi_init", lib.multi_init, missing);
  bind(handle, "curl_multi_cleanup", lib.multi_cleanup, missing);
  bind(handle, "curl_multi_add_handle", lib.multi_add_handle, missing);
  bind(handle, "curl_multi_remove_handle", lib.multi_remove_handle, missing);
  bind(handle, "curl_multi_perform", lib.multi_perform, missing);
  bind(handle, "curl_multi_poll", lib.multi_poll, missing);
  bind(handle, "curl_multi_wakeup", lib.multi_wakeup, missing);
  bind(handle, "curl_multi_info_read", lib.multi_info_read, missing);
  bind(handle, "curl_slist_append", lib.slist_append, missing);
  bind(handle, "curl_slist_free_all", lib.slist_free_all, missing);
  decltype(&::curl_global_init) global_init = nullptr;
  bind(handle, "curl_global_init", global_init, missing);
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
