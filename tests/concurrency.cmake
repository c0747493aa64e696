# The concurrency tests under ThreadSanitizer (preset tsan, CMDAI_TSAN=ON):
# one test binary, test_concurrency, from the test files that run code on
# several threads at once, linked against a library of only the modules they
# reach - not cmdai_lib, so a cold TSan build compiles a third of the tree.
# llama.cpp stays out (the preset turns it off): its prebuilt libraries are
# not instrumented, and the streaming-cancel tests use loopback servers.
#
#   history/concurrency_test   writers in parallel threads and processes on one history file
#   history/bulk_load_test     an import read and prepared on one thread while another writes it
#   history/term_list_test     the index's term list read on its own thread while lookups go on
#   store/migrations_test      a writer waiting for another connection's lock
#   llm/http_transport_test    a stop request from another thread waking the transfer's poll
#   llm/ollama_backend_test    cancelling a stalled stream (loopback server)
#   llm/openai_backend_test    a slow first token released from another thread (loopback server)
#   generation/streaming_generator_test  the generator's worker thread, stopped mid-stream
#   routing/health_checker_test  parallel health checks, a stop ending them, the joined refresher
#   eval/scoring_test          the eval runner's worker threads
#
# A test file listed here still belongs to its module's binary in the other
# presets; a new concurrency test goes into one of these files or gets its
# file listed below.

set(CMDAI_CONCURRENCY_MODULES core store history rules llm generation routing eval)
set(CMDAI_CONCURRENCY_TESTS
    history/concurrency_test.cpp
    history/bulk_load_test.cpp
    history/term_list_test.cpp
    store/migrations_test.cpp
    llm/http_transport_test.cpp
    llm/ollama_backend_test.cpp
    llm/openai_backend_test.cpp
    generation/streaming_generator_test.cpp
    routing/health_checker_test.cpp
    eval/scoring_test.cpp)

set(_sources "")
foreach(module IN LISTS CMDAI_CONCURRENCY_MODULES)
  file(GLOB _module_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${module}/*.cpp)
  list(APPEND _sources ${_module_sources})
endforeach()
list(APPEND _sources ${PROJECT_SOURCE_DIR}/src/llm/llama/llama_unavailable.cpp)
cmdai_module_library(cmdai_concurrency_lib ${_sources})

set(_tests "")
foreach(test IN LISTS CMDAI_CONCURRENCY_TESTS)
  list(APPEND _tests ${CMAKE_CURRENT_LIST_DIR}/${test})
endforeach()
add_executable(test_concurrency ${_tests} ${CMAKE_CURRENT_LIST_DIR}/tools/loopback_server.cpp)
target_include_directories(test_concurrency PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(test_concurrency PRIVATE cmdai_concurrency_lib GTest::gtest_main PkgConfig::HTTPLIB
                      PkgConfig::RE2 Threads::Threads)
# The test tools' settings; without llama.cpp the tests that need a model or
# llama-server skip.
target_compile_definitions(test_concurrency PRIVATE
  CMDAI_BINARY=""
  CMDAI_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
  CMDAI_LLAMA_SERVER=""
  CMDAI_LLAMA_VOCAB_DIR=""
  CMDAI_TINY_MODEL_DIR=""
  CMDAI_MAKE_TINY_MODEL="")

# One process for the whole binary; halt_on_error: the first race fails the
# run with its report. No suppressions: a race in cmdai's code is fixed; one
# in third-party code would get a suppressions file here, a reason per line.
add_test(NAME test_concurrency COMMAND test_concurrency)
set_tests_properties(test_concurrency PROPERTIES
  LABELS concurrency
  ENVIRONMENT "TSAN_OPTIONS=halt_on_error=1 second_deadlock_stack=1;CMDAI_DISCOVER_PORTS=ollama=0,llama-server=0,lmstudio=0,vllm=0"
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
