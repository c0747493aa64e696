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
//
// Where every field splits into words of ASCII letters and digits only
// (none a digit followed later by an e, which the parser may read as a
// number and a word), the vector itself is built here (search_vector): the
// server's parser keeps such a word whole and 'simple' only lowercases it,
// so building the vector spares the server its parser too. A server whose
// 'simple' configuration or lowercasing differs (a Turkish locale, say) is
// found out once per push and builds every vector itself.

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

  // separators: the ASCII characters that separate words. vectors: whether
  // search_vector may build vectors (the server builds them as it does).
  enum class Vectors { built_here, left_to_server };
  explicit WordSeparators(std::string_view separators, Vectors vectors = Vectors::built_here);

  // text with each run of separators as one space; nullopt when text holds
  // a byte beyond ASCII or a NUL (the server stores U+FFFD for it), which
  // the server then splits itself.
  std::optional<std::string> words(std::string_view text) const;

  // The same for the tags as the server prints their JSON array (tags::text:
  // ["a", "b"], each tag in JSON escapes).
  std::optional<std::string> tag_words(const std::vector<std::string>& tags) const;

  // The tsvector migration 1's expression gives for the words of the
  // command (weight A), the user input (B), the tags (C) and the
  // explanation (D), in tsvector's binary form (COPY binary, tsvectorrecv);
  // nullopt, for the server to build it, when a field holds anything but
  // ASCII letters, digits and spaces, a word starting with a digit and
  // holding an e, or nullopt words (not split here), or
  // when a word or the vector nears the server's limits (a 2,047-byte word,
  // position 16,383, 256 positions of one word).
  std::optional<std::string> search_vector(const std::array<std::optional<std::string>, 4>& words) const;

  bool builds_vectors() const { return m_vectors == Vectors::built_here; }

  // The words of a vector search_vector built (tsvector_to_array gives the
  // same on the server), in its byte order, appended to out as views into
  // vector.
  static void append_vector_words(std::string_view vector, std::vector<std::string_view>& out);

 private:
  std::array<bool, 128> m_separator{};
  Vectors m_vectors;
};

}  // namespace cmdai::team
