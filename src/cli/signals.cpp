#include "cli/signals.h"

#include <pthread.h>

#include <ctime>

namespace cmdai::cli {

InterruptScope::InterruptScope(std::stop_source& source) : m_source(source) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, &m_previous_mask);
  m_thread = std::thread([this, set] {
    // The scope's end wakes the wait with a signal sent to this thread; the
    // timeout only bounds a wake that never came.
    const timespec tick{1, 0};
    while (!m_done.load()) {
      const int signal = sigtimedwait(&set, nullptr, &tick);
      if (m_done.load()) break;  // the wake-up, or a signal as the scope ends
      if (signal == SIGINT || signal == SIGTERM) {
        m_interrupted.store(true);
        m_source.request_stop();
      }
    }
  });
}

InterruptScope::~InterruptScope() {
  m_done.store(true);
  pthread_kill(m_thread.native_handle(), SIGTERM);  // blocked there: it ends sigtimedwait at once
  m_thread.join();
  pthread_sigmask(SIG_SETMASK, &m_previous_mask, nullptr);
}

}  // namespace cmdai::cli
