#pragma once
// Shared libraries opened with dlopen on first use. Linking a library makes
// the loader map it, and everything it links, at every start, even for
// `cmdai --version`; libcurl and libpq each pull in TLS, Kerberos and LDAP.
// Their users open them here, bind the functions they call, and keep the
// handle for the life of the process.

#include <dlfcn.h>

#include <string>

#include "core/error.h"

namespace cmdai {

// Opens `soname` (RTLD_NOW | RTLD_LOCAL); the handle is never closed.
// Errors: unavailable, naming what could not be loaded and why, with `hint`.
Result<void*> open_shared_library(const char* soname, const std::string& what, const std::string& hint);

// Binds `name` from `handle` into `target`. The first name that is missing is
// kept in `missing`, so a caller binds every function and reports once.
template <typename Function>
void bind_symbol(void* handle, const char* name, Function& target, std::string& missing) {
  target = reinterpret_cast<Function>(::dlsym(handle, name));
  if (target == nullptr && missing.empty()) missing = name;
}

}  // namespace cmdai
