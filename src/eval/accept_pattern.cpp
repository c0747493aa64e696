#include "eval/accept_pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/shared_library.h"

namespace cmdai::eval {
namespace {

// PCRE2, opened on first use like zlib and libcurl: only `cmdai eval` needs
// it, so start-up never loads it.
struct Pcre2 {
  decltype(&pcre2_compile_8) compile = nullptr;
  decltype(&pcre2_jit_compile_8) jit_compile = nullptr;
  decltype(&pcre2_code_free_8) code_free = nullptr;
  decltype(&pcre2_get_error_message_8) error_message = nullptr;
  decltype(&pcre2_match_data_create_from_pattern_8) match_data_create = nullptr;
  decltype(&pcre2_match_data_free_8) match_data_free = nullptr;
  decltype(&pcre2_match_8) match = nullptr;
};

Result<Pcre2> open_pcre2() {
  auto opened =
      open_shared_library("libpcre2-8.so.0", "PCRE2", "install it (apt-get install libpcre2-8-0) to run evaluations");
  if (!opened) return fail(opened.error());
  Pcre2 lib;
  std::string missing;
  bind_symbol(*opened, "pcre2_compile_8", lib.compile, missing);
  bind_symbol(*opened, "pcre2_jit_compile_8", lib.jit_compile, missing);
  bind_symbol(*opened, "pcre2_code_free_8", lib.code_free, missing);
  bind_symbol(*opened, "pcre2_get_error_message_8", lib.error_message, missing);
  bind_symbol(*opened, "pcre2_match_data_create_from_pattern_8", lib.match_data_create, missing);
  bind_symbol(*opened, "pcre2_match_data_free_8", lib.match_data_free, missing);
  bind_symbol(*opened, "pcre2_match_8", lib.match, missing);
  if (!missing.empty()) return fail(ErrorCode::unavailable, "PCRE2 has no " + missing);
  return lib;
}

const Result<Pcre2>& pcre2() {
  static const Result<Pcre2> loaded = open_pcre2();
  return loaded;
}

}  // namespace

// Only made once pcre2() has loaded.
struct AcceptPattern::Compiled {
  explicit Compiled(pcre2_code* c) : code(c) {}
  ~Compiled() { pcre2()->code_free(code); }
  Compiled(const Compiled&) = delete;
  Compiled& operator=(const Compiled&) = delete;
  pcre2_code* code;
};

namespace {

std::string pcre2_message(int code) {
  PCRE2_UCHAR buffer[256];
  const int length = pcre2()->error_message(code, buffer, sizeof buffer);
  if (length < 0) return "PCRE2 error " + std::to_string(code);
  return std::string(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(length));
}

}  // namespace

AcceptPattern::AcceptPattern(std::shared_ptr<const Compiled> compiled, std::string source)
    : m_compiled(std::move(compiled)), m_source(std::move(source)) {}

Result<AcceptPattern> AcceptPattern::compile(std::string_view pattern) {
  // UCP: \w \d \s \b are Unicode-aware, as in Python's re for text patterns.
  // MATCH_INVALID_UTF: a command with stray bytes is still searched.
  const Result<Pcre2>& lib = pcre2();
  if (!lib) return fail(lib.error());
  const uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code =
      lib->compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options, &error, &offset, nullptr);
  if (code == nullptr) {
    return fail(ErrorCode::invalid_argument,
                "bad accept_regex: " + pcre2_message(error) + " at offset " + std::to_string(offset));
  }
  // JIT makes a whole set's matching negligible; without it PCRE2 interprets.
  (void)lib->jit_compile(code, PCRE2_JIT_COMPLETE);
  return AcceptPattern(std::make_shared<const Compiled>(code), std::string(pattern));
}

Result<bool> AcceptPattern::search(std::string_view text) const {
  const Pcre2& lib = *pcre2();
  std::unique_ptr<pcre2_match_data, decltype(lib.match_data_free)> data(
      lib.match_data_create(m_compiled->code, nullptr), lib.match_data_free);
  if (!data) return fail(ErrorCode::internal, "out of memory matching an accept_regex");
  const int rc =
      lib.match(m_compiled->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, 0, data.get(), nullptr);
  if (rc >= 0) return true;
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  return fail(ErrorCode::invalid_argument, "accept_regex could not be matched: " + pcre2_message(rc));
}

}  // namespace cmdai::eval
