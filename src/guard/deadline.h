#pragma once
// A deadline for one hook answer. If it passes before disarm(), the answer
// prepared for that case is written to stdout and stderr from a SIGALRM
// handler and the process exits with its status - whatever the main thread
// is waiting for (a stdin the agent never closes, a database another process
// holds locked). Guard mode fails closed: a late decision is a block.
//
// One Deadline per process at a time; the prepared answer is not copied
// again once armed (the handler only calls write(2) and _exit(2)).

#include <chrono>

#include "guard/protocol.h"

namespace cmdai::guard {

class Deadline {
 public:
  Deadline(std::chrono::milliseconds after, Answer on_expiry);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  // After this the handler never runs: SIGALRM is blocked, then the timer
  // stopped. Idempotent.
  void disarm();

 private:
  Answer m_answer;
  bool m_armed = false;
};

}  // namespace cmdai::guard
