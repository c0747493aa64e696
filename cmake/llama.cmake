# The pinned llama.cpp, built by scripts/setup into a cache outside the repo.
# Sets CMDAI_HAVE_LLAMA and the imported target cmdai::llama (static libs).
set(CMDAI_HAVE_LLAMA OFF)
if(NOT CMDAI_WITH_LLAMA)
  return()
endif()

if(NOT CMDAI_LLAMA_DIR)
  if(DEFINED ENV{CMDAI_DEPS})
    set(_deps "$ENV{CMDAI_DEPS}")
  else()
    set(_deps "$ENV{HOME}/.cache/cmdai-deps")
  endif()
  if(EXISTS "${_deps}/llama-current")
    file(STRINGS "${_deps}/llama-current" _current LIMIT_COUNT 1)
    set(CMDAI_LLAMA_DIR "${_current}" CACHE PATH "llama.cpp cache directory made by scripts/setup")
  endif()
endif()

set(_build "${CMDAI_LLAMA_DIR}/build")
set(_libs
  "${_build}/src/libllama.a"
  "${_build}/ggml/src/libggml.a"
  "${_build}/ggml/src/libggml-cpu.a"
  "${_build}/ggml/src/libggml-base.a")
foreach(_lib IN LISTS _libs)
  if(NOT EXISTS "${_lib}")
    message(STATUS "llama.cpp not found (${_lib} missing): building without the llama backend")
    return()
  endif()
endforeach()

add_library(cmdai::llama INTERFACE IMPORTED GLOBAL)
target_include_directories(cmdai::llama SYSTEM INTERFACE
  "${CMDAI_LLAMA_DIR}/src/include" "${CMDAI_LLAMA_DIR}/src/ggml/include")
target_link_libraries(cmdai::llama INTERFACE ${_libs} Threads::Threads ${CMAKE_DL_LIBS} m)
# llama.cpp's common library (the sampler llama-cli uses), for benchmarks
# that compare against it; the product does not link it.
set(_common_libs "${_build}/common/libllama-common.a" "${_build}/common/libllama-common-base.a")
if(EXISTS "${_build}/common/libllama-common.a" AND EXISTS "${_build}/common/libllama-common-base.a")
  add_library(cmdai::llama_common INTERFACE IMPORTED GLOBAL)
  target_include_directories(cmdai::llama_common SYSTEM INTERFACE
    "${CMDAI_LLAMA_DIR}/src/common" "${CMDAI_LLAMA_DIR}/src/vendor")
  target_link_libraries(cmdai::llama_common INTERFACE ${_common_libs} cmdai::llama)
endif()
set(CMDAI_LLAMA_SERVER "${_build}/bin/llama-server" CACHE FILEPATH "llama-server used by tests")
set(CMDAI_LLAMA_BENCH "${_build}/bin/llama-bench" CACHE FILEPATH "llama-bench used by benchmarks")
set(CMDAI_LLAMA_VOCAB_DIR "${CMDAI_LLAMA_DIR}/src/models" CACHE PATH "tokenizer-only GGUF files")
set(CMDAI_HAVE_LLAMA ON)
message(STATUS "llama.cpp: ${CMDAI_LLAMA_DIR}")
