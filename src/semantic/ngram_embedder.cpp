#include "semantic/ngram_embedder.h"

#include <cctype>
#include <cstdint>

#include "core/hash.h"

namespace cmdai::semantic {
namespace {

bool is_word_char(unsigned char c) { return c >= 0x80 || std::isalnum(c) != 0; }

// Lower-cased words separated by single spaces, with a space at each end so
// that 3-grams mark word starts and ends.
std::string normalise(std::string_view text) {
  std::string out = " ";
  for (char raw : text) {
    const auto c = static_cast<unsigned char>(raw);
    if (is_word_char(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (out.back() != ' ') {
      out += ' ';
    }
  }
  if (out.back() != ' ') out += ' ';
  return out;
}

}  // namespace

std::string NgramEmbedder::model_id() const { return "cmdai-test-ngram-v1/" + std::to_string(m_dimensions); }

Vector NgramEmbedder::embed_one(std::string_view text) const {
  Vector v(m_dimensions, 0.0F);
  const std::string norm = normalise(text);
  auto add = [&](std::string_view feature, float weight) {
    const std::uint64_t h = fnv1a64(feature, k_fnv_offset_basis ^ 0x9e3779b97f4a7c15ULL);
    const float sign = (h >> 63) != 0 ? -1.0F : 1.0F;
    v[h % m_dimensions] += sign * weight;
  };
  for (std::size_t i = 0; i + 3 <= norm.size(); ++i) add(std::string_view(norm).substr(i, 3), 1.0F);
  std::size_t start = 1;
  for (std::size_t i = 1; i < norm.size(); ++i) {
    if (norm[i] != ' ') continue;
    if (i > start) add(std::string_view(norm).substr(start - 1, i - start + 2), 2.0F);
    start = i + 1;
  }
  normalize_l2(v);
  return v;
}

Result<std::vector<Vector>> NgramEmbedder::embed(std::span<const std::string> texts) {
  for (const auto& text : texts) CMDAI_TRY(check_embeddable(text));
  std::vector<Vector> out;
  out.reserve(texts.size());
  for (const auto& text : texts) out.push_back(embed_one(text));
  m_texts_embedded += texts.size();
  return out;
}

}  // namespace cmdai::semantic
