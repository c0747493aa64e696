// toml++'s compiled part, built into the cmdai binary when it links its
// libraries statically (cmake/static_deps.cmake): toml++ is header-only at
// heart, and one translation unit with TOML_IMPLEMENTATION holds what
// Debian's libtomlplusplus.so would. Compiled with the same TOML_* options as
// the library's users, so the declarations match.

#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
