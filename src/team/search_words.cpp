#include "team/search_words.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "team/copy_binary.h"

namespace cmdai::team {
namespace {

bool is_plain_ascii(std::string_view text) {
  for (char c : text) {
    if (c == '\0' || static_cast<unsigned char>(c) > 127) return false;
  }
  return true;
}

// A tag as jsonb prints it inside its array (PostgreSQL's escape_json).
void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    switch (c) {
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// The server's limits (tsvector.h): a word of MAXSTRLEN bytes or more is
// dropped, positions stop at MAXENTRYPOS - 1, a word keeps at most
// MAXNUMPOS positions. Vectors nearing them are left to the server.
constexpr std::size_t k_max_word_bytes = 2046;
constexpr std::uint16_t k_max_position = 16382;
constexpr std::size_t k_max_positions = 255;

// A word the server's parser keeps whole and 'simple' only lowercases: ASCII
// letters and digits, starting with a letter or holding no e (the parser
// reads 1e10abc as the number 1e10 and the word abc; compared with the
// server over hundreds of thousands of random words, no other word of
// letters and digits was split). The probe below checks the lowercasing
// on each server.
bool is_plain_word(std::string_view word) {
  const bool letters_and_digits = std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
  const bool digit_first = !word.empty() && word[0] >= '0' && word[0] <= '9';
  return letters_and_digits && (!digit_first || word.find_first_of("eE") == std::string_view::npos);
}

// A word of the vector (a view into the lowered fields) at one weighted
// position.
struct Lexeme {
  std::string_view word;
  std::uint16_t position;
};

// The vector's words with their weighted positions, sorted as the server
// keeps them (bytewise, each word's positions ascending); false when the
// server must build it. lowered holds the fields in lower case.
bool collect_lexemes(const std::array<std::optional<std::string>, 4>& fields, std::string& lowered,
                     std::vector<Lexeme>& lexemes) {
  std::array<std::size_t, 5> starts{};
  for (std::size_t field = 0; field < fields.size(); ++field) {
    if (!fields[field]) return false;
    starts[field] = lowered.size();
    lowered += *fields[field];
    lowered += ' ';
  }
  starts[4] = lowered.size();
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  std::uint16_t position = 0;
  for (std::size_t field = 0; field < fields.size(); ++field) {
    const auto weight = static_cast<std::uint16_t>((3 - field) << 14);  // A = 3 ... D = 0
    std::string_view text = std::string_view(lowered).substr(starts[field], starts[field + 1] - starts[field]);
    while (!text.empty()) {
      const std::size_t end = text.find(' ');  // each field ends in one
      const std::string_view word = text.substr(0, end);
      text.remove_prefix(end + 1);
      if (word.empty()) continue;
      if (word.size() > k_max_word_bytes || !is_plain_word(word) || position == k_max_position) return false;
      lexemes.push_back({word, static_cast<std::uint16_t>(weight | ++position)});
    }
  }
  std::sort(lexemes.begin(), lexemes.end(), [](const Lexeme& a, const Lexeme& b) {
    return a.word != b.word ? a.word < b.word : (a.position & 0x3fff) < (b.position & 0x3fff);
  });
  return true;
}

// What to_tsvector('simple', ...) must give for the probe on a server
// where search_vector's rules hold.
constexpr std::string_view k_vector_probe =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 Ab1 1e5 0x1F";
constexpr std::string_view k_vector_probe_expected =
    "'0123456789':3 '0x1f':6 '1e5':5 'ab1':4 'abcdefghijklmnopqrstuvwxyz':1,2";

}  // namespace

Result<WordSeparators> WordSeparators::of_server(Connection& connection) {
  auto rows = connection.query(
      "SELECT string_agg(chr(i), '' ORDER BY i), to_tsvector('simple', $1)::text = $2 FROM generate_series(1, 127) "
      "AS i WHERE chr(i) ~ '[[:punct:][:space:]]'",
      {std::string(k_vector_probe), std::string(k_vector_probe_expected)});
  if (!rows) return fail(rows.error());
  return WordSeparators(rows->text(0, 0), rows->text(0, 1) == "t" ? Vectors::built_here : Vectors::left_to_server);
}

WordSeparators::WordSeparators(std::string_view separators, Vectors vectors) : m_vectors(vectors) {
  for (char c : separators) {
    if (static_cast<unsigned char>(c) < m_separator.size()) m_separator[static_cast<unsigned char>(c)] = true;
  }
}

std::optional<std::string> WordSeparators::words(std::string_view text) const {
  if (!is_plain_ascii(text)) return std::nullopt;
  std::string out;
  out.reserve(text.size());
  bool in_run = false;
  for (char c : text) {
    const bool separator = m_separator[static_cast<unsigned char>(c)];
    if (separator && !in_run) out += ' ';
    if (!separator) out += c;
    in_run = separator;
  }
  return out;
}

std::optional<std::string> WordSeparators::tag_words(const std::vector<std::string>& tags) const {
  std::string printed = "[";
  for (const auto& tag : tags) {
    if (printed.size() > 1) printed += ", ";
    append_json_string(printed, tag);
  }
  printed += ']';
  return words(printed);
}

std::optional<std::string> WordSeparators::search_vector(const std::array<std::optional<std::string>, 4>& words) const {
  if (m_vectors != Vectors::built_here) return std::nullopt;
  std::string lowered;
  std::vector<Lexeme> lexemes;
  if (!collect_lexemes(words, lowered, lexemes)) return std::nullopt;
  std::string out(4, '\0');  // the number of words, once known
  out.reserve(4 + lowered.size() + 5 * lexemes.size());
  std::uint32_t count = 0;
  for (std::size_t first = 0; first < lexemes.size();) {
    std::size_t last = first;
    while (last < lexemes.size() && lexemes[last].word == lexemes[first].word) ++last;
    if (last - first > k_max_positions) return std::nullopt;
    out += lexemes[first].word;
    out += '\0';
    append_network_order(out, last - first, 2);
    for (std::size_t i = first; i < last; ++i) append_network_order(out, lexemes[i].position, 2);
    ++count;
    first = last;
  }
  std::string count_bytes;
  append_network_order(count_bytes, count, 4);
  out.replace(0, 4, count_bytes);
  return out;
}

void WordSeparators::append_vector_words(std::string_view vector, std::vector<std::string_view>& out) {
  if (vector.size() < 4) return;
  vector.remove_prefix(4);  // the number of words
  while (!vector.empty()) {
    const std::size_t end = vector.find('\0');
    if (end == std::string_view::npos || vector.size() < end + 3) return;
    const auto positions = static_cast<std::size_t>((static_cast<unsigned char>(vector[end + 1]) << 8) |
                                                    static_cast<unsigned char>(vector[end + 2]));
    if (vector.size() < end + 3 + 2 * positions) return;
    out.push_back(vector.substr(0, end));
    vector.remove_prefix(end + 3 + 2 * positions);
  }
}

}  // namespace cmdai::team
