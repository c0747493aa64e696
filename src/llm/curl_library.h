#pragma once
// libcurl, opened with dlopen the first time an HTTP backend needs it.
// Linking it directly loads some forty shared libraries (TLS, SSH, LDAP, IDN
// ...) and runs their initialisers at every start, which would cost even
// `cmdai --version` milliseconds. Only http_transport.cpp uses this.
//
// Thread safety: curl_library() may be called from any thread; the library
// is opened and curl_global_init() run exactly once.

#include <curl/curl.h>

#include "core/error.h"

namespace cmdai::llm {

struct CurlLibrary {
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_reset) easy_reset = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_multi_init) multi_init = nullptr;
  decltype(&::curl_multi_cleanup) multi_cleanup = nullptr;
  decltype(&::curl_multi_add_handle) multi_add_handle = nullptr;
  decltype(&::curl_multi_remove_handle) multi_remove_handle = nullptr;
  decltype(&::curl_multi_perform) multi_perform = nullptr;
  decltype(&::curl_multi_poll) multi_poll = nullptr;
  decltype(&::curl_multi_wakeup) multi_wakeup = nullptr;
  decltype(&::curl_multi_info_read) multi_info_read = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;
};

// Errors: unavailable when libcurl.so.4 cannot be opened or lacks a symbol
// (the message names it).
Result<const CurlLibrary*> curl_library();

}  // namespace cmdai::llm
