#pragma once
// An evaluation row's accept_regex: a PCRE2 pattern (Python `re` syntax
// with lookarounds) compiled once in UTF mode with Unicode classes, so \w,
// \s and \b read non-ASCII letters as Python does, and matched with search
// semantics (anywhere in the text, like Python's re.search).
//
// Thread safety: a compiled pattern is immutable; search() may be called
// from several threads at once (each call has its own match data).

#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"

namespace cmdai::eval {

class AcceptPattern {
 public:
  // Errors: invalid_argument with PCRE2's message and the character offset
  // where the pattern went wrong ("missing closing parenthesis at 12").
  static Result<AcceptPattern> compile(std::string_view pattern);

  // True when the pattern matches somewhere in text. Text that is not UTF-8
  // (a model may answer any bytes) is matched where it is valid. Errors:
  // invalid_argument when PCRE2 gives up (its match or depth limit).
  Result<bool> search(std::string_view text) const;

  const std::string& source() const { return m_source; }

 private:
  struct Compiled;
  AcceptPattern(std::shared_ptr<const Compiled> compiled, std::string source);

  std::shared_ptr<const Compiled> m_compiled;
  std::string m_source;
};

}  // namespace cmdai::eval
