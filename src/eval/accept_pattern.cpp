#include "eval/accept_pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace cmdai::eval {

struct AcceptPattern::Compiled {
  explicit Compiled(pcre2_code* c) : code(c) {}
  ~Compiled() { pcre2_code_free(code); }
  Compiled(const Compiled&) = delete;
  Compiled& operator=(const Compiled&) = delete;
  pcre2_code* code;
};

namespace {

std::string pcre2_message(int code) {
  PCRE2_UCHAR buffer[256];
  const int length = pcre2_get_error_message(code, buffer, sizeof buffer);
  if (length < 0) return "PCRE2 error " + std::to_string(code);
  return std::string(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(length));
}

}  // namespace

AcceptPattern::AcceptPattern(std::shared_ptr<const Compiled> compiled, std::string source)
    : m_compiled(std::move(compiled)), m_source(std::move(source)) {}

Result<AcceptPattern> AcceptPattern::compile(std::string_view pattern) {
  // UCP: \w \d \s \b are Unicode-aware, as in Python's re for text patterns.
  // MATCH_INVALID_UTF: a command with stray bytes is still searched.
  const uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF;
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options, &error, &offset, nullptr);
  if (code == nullptr) {
    return fail(ErrorCode::invalid_argument,
                "bad accept_regex: " + pcre2_message(error) + " at offset " + std::to_string(offset));
  }
  // JIT makes a whole set's matching negligible; without it PCRE2 interprets.
  (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
  return AcceptPattern(std::make_shared<const Compiled>(code), std::string(pattern));
}

Result<bool> AcceptPattern::search(std::string_view text) const {
  std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> data(
      pcre2_match_data_create_from_pattern(m_compiled->code, nullptr), &pcre2_match_data_free);
  if (!data) return fail(ErrorCode::internal, "out of memory matching an accept_regex");
  const int rc =
      pcre2_match(m_compiled->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, 0, data.get(), nullptr);
  if (rc >= 0) return true;
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  return fail(ErrorCode::invalid_argument, "accept_regex could not be matched: " + pcre2_message(rc));
}

}  // namespace cmdai::eval
