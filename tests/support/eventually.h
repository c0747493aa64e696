#pragma once
// Polls done() every 20 ms until it holds or about a minute has passed (a
// sanitizer build starts processes and loads models slowly); returns
// done()'s last answer. For tests that wait for another process to act,
// never for a timing claim.

#include <chrono>
#include <thread>

namespace cmdai::testing {

template <typename Done>
bool eventually(Done done) {
  using namespace std::chrono_literals;
  for (int i = 0; i < 3000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return done();
}

}  // namespace cmdai::testing
