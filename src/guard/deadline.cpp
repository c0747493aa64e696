#include "guard/deadline.h"

#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>

namespace cmdai::guard {
namespace {

// What the handler writes; set before the timer starts, read-only after.
const Answer* g_expiry = nullptr;

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

extern "C" void on_deadline(int) {
  if (g_expiry != nullptr) {
    write_all(STDOUT_FILENO, g_expiry->out);
    write_all(STDERR_FILENO, g_expiry->err);
    ::_exit(g_expiry->exit_code);
  }
  ::_exit(2);
}

}  // namespace

Deadline::Deadline(std::chrono::milliseconds after, Answer on_expiry) : m_answer(std::move(on_expiry)) {
  g_expiry = &m_answer;
  struct sigaction action {};
  action.sa_handler = on_deadline;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGALRM, &action, nullptr);
  sigset_t alarm;
  sigemptyset(&alarm);
  sigaddset(&alarm, SIGALRM);
  ::pthread_sigmask(SIG_UNBLOCK, &alarm, nullptr);
  const auto ms = std::max<long long>(1, after.count());
  itimerval timer{};
  timer.it_value.tv_sec = static_cast<time_t>(ms / 1000);
  timer.it_value.tv_usec = static_cast<suseconds_t>((ms % 1000) * 1000);
  ::setitimer(ITIMER_REAL, &timer, nullptr);
  m_armed = true;
}

Deadline::~Deadline() { disarm(); }

void Deadline::disarm() {
  if (!m_armed) return;
  sigset_t alarm;
  sigemptyset(&alarm);
  sigaddset(&alarm, SIGALRM);
  ::pthread_sigmask(SIG_BLOCK, &alarm, nullptr);
  itimerval off{};
  ::setitimer(ITIMER_REAL, &off, nullptr);
  m_armed = false;
}

}  // namespace cmdai::guard
