#pragma once
// Candidate tokens for one sampling step of the llama backend, found without
// touching the whole vocabulary where that can be avoided: the decode loop
// runs this once per token, and for small models a pass over a 150k-token
// vocabulary costs as much as the model itself.

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <llama.h>

#include "llm/command_grammar.h"

namespace cmdai::llm {

// Picks the k highest logits of a step, best first. One vectorised pass
// takes the maximum of each block of 64 logits; the k-th largest block
// maximum is a floor for the k-th largest logit, so only the few blocks
// that reach it are looked at one by one. Holds its scratch space, so a
// step allocates nothing. Not thread-safe; one per decode loop.
class TopK {
 public:
  void select(const float* logits, int n_vocab, std::size_t k, std::vector<llama_token_data>& out);

 private:
  std::vector<float> m_maxima;  // per block
  std::vector<float> m_order;   // the same, partially ordered to find the floor
};

// Token texts (as the backend emits them: control tokens have none), and
// ids grouped by the first byte of their text; built once per context (a
// few ms for a 150k vocabulary). Tokens with no text are in no group.
class TokenIndex {
 public:
  explicit TokenIndex(const llama_vocab* vocab);

  const std::string& piece(llama_token id) const { return m_pieces[static_cast<std::size_t>(id)]; }

  // The (at most) k best tokens `shape` accepts next, with their logits,
  // best first, into out: only the groups of the bytes it allows are looked
  // at, and states seen before are answered from memory. Not thread-safe.
  void collect(const AnswerShape& shape, const float* logits, std::size_t k, std::vector<llama_token_data>& out) const;
  // True when collect() for shape is known to look at few tokens: a state
  // seen before that allows at most `few`. Elsewhere (inside a string, most
  // of the vocabulary may fit) collect() costs a pass over it.
  bool allows_few(const AnswerShape& shape, std::size_t few) const;

 private:
  const std::vector<llama_token>& allowed(const AnswerShape& shape, std::vector<llama_token>& scratch) const;

  // The k best of a string's next tokens (AnswerShape::string_room): the
  // plain tokens short enough, and those with a quote or backslash that fit.
  void collect_in_string(const AnswerShape& shape, std::size_t room, const float* logits, std::size_t k,
                         std::vector<llama_token_data>& out) const;

  std::array<std::vector<llama_token>, 256> m_by_byte;
  std::vector<std::string> m_pieces;  // by token id
  // Tokens made only of plain string bytes, shortest first, and their
  // lengths; tokens holding a quote or a backslash.
  std::vector<llama_token> m_plain;
  std::vector<std::size_t> m_plain_length;
  std::vector<llama_token> m_quote_or_escape;
  // The tokens allowed in a state that names itself (AnswerShape::state_key):
  // the same for every answer, so worked out once.
  mutable std::map<std::uint32_t, std::vector<llama_token>> m_allowed_by_state;
};

}  // namespace cmdai::llm
