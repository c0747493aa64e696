#pragma once
// The text an entry's full-text vector is built from on the team server:
// every run of punctuation and white space as one space, which is what
// regexp_replace(text, '[[:punct:][:space:]]+', ' ', 'g') gives there
// (server_schema.h). Splitting here spares the server that regular
// expression, the costliest part of building the vector.
//
// Which characters those classes hold is the server's locale's business
// (an ICU locale counts fewer ASCII symbols as punctuation than libc), so
// the server is asked which ASCII characters it counts, and text holding
// anything beyond ASCII is left for the server to split as before. Either
// way the vector is the one the server's own expression gives.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "team/connection.h"

namespace cmdai::team {

class WordSeparators {
 public:
  // The ASCII characters this server's [[:punct:][:space:]] matches.
  // Errors: the server's.
  static Result<WordSeparators> of_server(Connection& connection);

  // separators: the ASCII characters that separate words.
  explicit WordSeparators(std::string_view separators);

  // text with each run of separators as one space; nullopt when text holds
  // a byte beyond ASCII or a NUL (the server stores U+FFFD for it), which
  // the server then splits itself.
  std::optional<std::string> words(std::string_view text) const;

  // The same for the tags as the server prints their JSON array (tags::text:
  // ["a", "b"], each tag in JSON escapes).
  std::optional<std::string> tag_words(const std::vector<std::string>& tags) const;

 private:
  std::array<bool, 128> m_separator{};
};

}  // namespace cmdai::team
