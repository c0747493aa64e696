#include "guard/answer.h"

namespace cmdai::guard {

Answer answer_for(const Protocol& protocol, const Decision& decision) {
  Answer answer;
  if (decision.verdict == Verdict::pass) {
    answer.out = std::string(protocol.pass_output);
  } else {
    answer.out = write_answer(protocol, decision);
  }
  if (!answer.out.empty()) answer.out += "\n";
  return answer;
}

Answer block_answer(const Protocol& protocol, const std::string& reason) {
  Decision deny;
  deny.verdict = Verdict::deny;
  deny.level = RiskLevel::high;
  deny.reason = reason;
  deny.summary = reason;
  Answer answer;
  answer.exit_code = 2;
  answer.out = write_answer(protocol, deny) + "\n";
  answer.err = reason + "\n";
  return answer;
}

}  // namespace cmdai::guard
