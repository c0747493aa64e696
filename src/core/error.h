#pragma once
// Result<T> and Error: the one way modules report failure to each other.
// Foreign errors (errno, SQLite, curl, llama.cpp, server JSON) are translated
// into an Error once, where they happen; nothing above store/ or llm/ sees a
// library's own error type.
//
// Both are [[nodiscard]]: a call whose Result or Error is dropped does not
// compile (-Werror). Handle it, or, where a failure is harmless, drop it
// visibly - (void) or static_cast<void> - under a comment saying why.

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <tl/expected.hpp>

namespace cmdai {

enum class ErrorCode {
  not_found,
  invalid_argument,
  io_error,
  corruption,
  timeout,
  unavailable,
  model_output_invalid,
  blocked_by_policy,
  cancelled,
  internal,
};

std::string_view to_string(ErrorCode code);

struct [[nodiscard]] Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;  // what happened, in words a user understands
  std::string hint;     // what to do next; may be empty

  // "message (hint)" or just "message".
  std::string describe() const;
};

// A value of T or an Error: tl::expected<T, Error> (all of its interface),
// in a class of its own only so that it can carry [[nodiscard]], which an
// alias cannot.
template <typename T>
class [[nodiscard]] Result : public tl::expected<T, Error> {
 public:
  using Base = tl::expected<T, Error>;
  using Base::Base;
  Result() = default;
  // From a plain tl::expected (what its map() and friends return).
  Result(Base other) noexcept(std::is_nothrow_move_constructible_v<Base>) : Base(std::move(other)) {}
};

[[nodiscard]] inline tl::unexpected<Error> fail(ErrorCode code, std::string message, std::string hint = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(hint)});
}

[[nodiscard]] inline tl::unexpected<Error> fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

}  // namespace cmdai

// Evaluates a Result expression; returns its Error from the enclosing function
// on failure. Use only for Result<void>-like checks; bind values explicitly.
#define CMDAI_TRY(expr)                                           \
  do {                                                            \
    auto&& cmdai_try_result_ = (expr);                            \
    if (!cmdai_try_result_) {                                     \
      return ::cmdai::fail(std::move(cmdai_try_result_.error())); \
    }                                                             \
  } while (false)
