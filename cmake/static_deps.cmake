# The libraries the cmdai binary links, linked into it (release builds).
#
# Every cmdai process is short (--version, an agent's guard hook, history
# list), and with shared libraries most of its start-up was the dynamic
# loader: mapping libstdc++, SQLite, RE2, fmt, toml++ and the four ncurses
# libraries and resolving their thousands of symbol relocations took more
# time than cmdai's own work. Linked statically, start-up maps only libc and
# libm (bench/startup.sh). The libraries opened on first use (libcurl, libpq,
# libedit, zlib, PCRE2: core/shared_library) are C libraries and stay shared.
#
# Only the cmdai executable is linked this way: cmdai_lib, the tests and the
# benchmarks keep the shared libraries, and cmdai_lib's compile flags do not
# change (the choice is made per linking target, through the CMDAI_STATIC_DEPS
# target property). Sanitizer builds keep the shared libraries: ASan's
# runtime and a static libstdc++ do not mix.
#
# The price: a fixed SQLite, RE2 or ncurses reaches cmdai with its next build,
# not with the system's update.

if(CMDAI_SANITIZE OR CMDAI_TSAN)
  set(_cmdai_static_default OFF)
else()
  set(_cmdai_static_default ON)
endif()
option(CMDAI_STATIC_DEPS "Link libstdc++, SQLite, RE2, fmt, toml++ and ncurses into the cmdai binary"
       ${_cmdai_static_default})

# What cmdai_lib links for the tests and benchmarks (and for cmdai without
# CMDAI_STATIC_DEPS).
set(CMDAI_SHARED_DEPS tomlplusplus::tomlplusplus SQLite::SQLite3 PkgConfig::RE2 PkgConfig::CURSES
    spdlog::spdlog_header_only fmt::fmt)

if(NOT CMDAI_STATIC_DEPS)
  set(CMDAI_LINKED_DEPS ${CMDAI_SHARED_DEPS})
  return()
endif()

# The archives Debian's -dev packages ship beside the shared libraries
# (libsqlite3-dev, libre2-dev, libncurses-dev).
set(_cmdai_archives "")
foreach(_lib sqlite3 re2 formw menuw ncursesw tinfo)
  find_library(CMDAI_${_lib}_ARCHIVE NAMES lib${_lib}.a REQUIRED)
  list(APPEND _cmdai_archives ${CMDAI_${_lib}_ARCHIVE})
endforeach()

# fmt and toml++ ship no archive: their compiled parts are built here, with
# toml++'s own options (the ones cmdai_lib's files are compiled with).
add_library(cmdai_bundled STATIC ${PROJECT_SOURCE_DIR}/src/app/bundled_toml.cpp
                                 ${PROJECT_SOURCE_DIR}/src/app/bundled_fmt.cpp)
target_compile_options(cmdai_bundled PRIVATE
                       $<TARGET_PROPERTY:tomlplusplus::tomlplusplus,INTERFACE_COMPILE_OPTIONS>)
target_include_directories(cmdai_bundled SYSTEM PRIVATE
                           $<TARGET_PROPERTY:tomlplusplus::tomlplusplus,INTERFACE_INCLUDE_DIRECTORIES>
                           $<TARGET_PROPERTY:fmt::fmt,INTERFACE_INCLUDE_DIRECTORIES>)

add_library(cmdai_static_deps INTERFACE)
target_link_libraries(cmdai_static_deps INTERFACE cmdai_bundled ${_cmdai_archives} Threads::Threads
                      ${CMAKE_DL_LIBS} m)

# The binary's ~21,000 relative relocations as a compact bitmap (DT_RELR,
# glibc 2.36) instead of a 500 KB table the loader reads at every start.
include(CheckLinkerFlag)
check_linker_flag(CXX "-Wl,-z,pack-relative-relocs" CMDAI_HAVE_PACK_RELOCS)
if(CMDAI_HAVE_PACK_RELOCS)
  set(CMDAI_PACK_RELOCS "-Wl,-z,pack-relative-relocs")
endif()

# A target whose CMDAI_STATIC_DEPS property is ON links the archives; any
# other (and cmdai_lib's own compilation) sees the shared libraries' targets.
set(CMDAI_LINKED_DEPS
    "$<IF:$<BOOL:$<TARGET_PROPERTY:CMDAI_STATIC_DEPS>>,cmdai_static_deps,${CMDAI_SHARED_DEPS}>")
