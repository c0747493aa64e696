#include "core/error.h"

namespace cmdai {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::invalid_argument: return "invalid_argument";
    case ErrorCode::io_error: return "io_error";
    case ErrorCode::corruption: return "corruption";
    case ErrorCode::timeout: return "timeout";
    case ErrorCode::unavailable: return "unavailable";
    case ErrorCode::model_output_invalid: return "model_output_invalid";
    case ErrorCode::blocked_by_policy: return "blocked_by_policy";
    case ErrorCode::cancelled: return "cancelled";
    case ErrorCode::internal: return "internal";
  }
  return "internal";
}

std::string Error::describe() const {
  if (hint.empty()) return message;
  return message + " (" + hint + ")";
}

}  // namespace cmdai
