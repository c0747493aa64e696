#include "core/shared_library.h"

namespace cmdai {

Result<void*> open_shared_library(const char* soname, const std::string& what, const std::string& hint) {
  void* handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    return fail(ErrorCode::unavailable, what + " could not be loaded: " + (why != nullptr ? why : "unknown error"),
                hint);
  }
  return handle;
}

}  // namespace cmdai
