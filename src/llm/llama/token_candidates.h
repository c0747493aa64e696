#pragma once
// Candidate tokens for one sampling step of the llama backend, found without
// touching the whole vocabulary where that can be avoided: the decode loop
// runs this once per token, and for small models a pass over a 150k-token
// vocabulary costs as much as the model itself.

#include <array>
#include <bitset>
#include <cstddef>
#include <string>
#include <vector>

#include <llama.h>

#include "llm/command_grammar.h"

namespace cmdai::llm {

// The k highest logits of n_vocab, best first, into out (one pass, no
// allocation once out has capacity k).
void top_k_candidates(const float* logits, int n_vocab, std::size_t k, std::vector<llama_token_data>& out);

// Every token of a vocabulary, with its logit, into out.
void all_candidates(const float* logits, int n_vocab, std::vector<llama_token_data>& out);

// Token texts, and ids grouped by the first byte of their text; built once
// per context (a few ms for a 150k vocabulary).
// Tokens with no text (control tokens) are in no group.
class FirstByteIndex {
 public:
  explicit FirstByteIndex(const llama_vocab* vocab);

  // The (at most) k best tokens `shape` accepts next, with their logits,
  // best first, into out: only the groups of the bytes it allows are looked at.
  void collect(const AnswerShape& shape, const float* logits, std::size_t k, std::vector<llama_token_data>& out) const;

 private:
  std::array<std::vector<llama_token>, 256> m_by_byte;
  std::vector<std::string> m_pieces;  // by token id
};

}  // namespace cmdai::llm
