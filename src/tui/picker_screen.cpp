#include "tui/picker_screen.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <string>
#include <tuple>
#include <vector>

#include "core/log.h"
#include "tui/terminal_keys.h"
#include "tui/text_columns.h"

namespace cmdai::tui {
namespace {

constexpr int k_min_lines = 3;
constexpr int k_escape_wait_ms = 25;  // a lone ESC is Escape after this long without more bytes
constexpr int k_resize_poll_ms = 100;

std::string csi(int n, char final) { return "\x1b[" + std::to_string(n) + final; }

// SIGTERM, SIGHUP and SIGINT (kill, a closed terminal window; Ctrl-C is a
// key in raw mode) while the picker runs: blocked and read from a signalfd
// the key loop polls, so the picker leaves like Esc - terminal mode and
// screen given back - and then dies of the signal as it would have
// (resend()).
class TerminationSignals {
 public:
  TerminationSignals() {
    sigemptyset(&m_set);
    for (int signal : {SIGTERM, SIGHUP, SIGINT}) sigaddset(&m_set, signal);
    if (::pthread_sigmask(SIG_BLOCK, &m_set, &m_previous) != 0) return;
    m_blocked = true;
    m_fd = ::signalfd(-1, &m_set, SFD_CLOEXEC | SFD_NONBLOCK);
  }
  ~TerminationSignals() {
    if (m_fd >= 0) ::close(m_fd);
    if (m_blocked) ::pthread_sigmask(SIG_SETMASK, &m_previous, nullptr);
  }
  TerminationSignals(const TerminationSignals&) = delete;
  TerminationSignals& operator=(const TerminationSignals&) = delete;

  int fd() const { return m_fd; }
  int received() const { return m_received; }

  // Takes a pending signal, if any; true when one came.
  bool take() {
    signalfd_siginfo info{};
    if (m_fd < 0 || ::read(m_fd, &info, sizeof info) != static_cast<ssize_t>(sizeof info)) return false;
    m_received = static_cast<int>(info.ssi_signo);
    return true;
  }

  // After the terminal is given back: the signal that came, delivered again
  // with its default action (the process ends as the sender meant).
  void resend() {
    if (m_received == 0) return;
    ::signal(m_received, SIG_DFL);
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
    if (m_blocked) ::pthread_sigmask(SIG_SETMASK, &m_previous, nullptr);
    m_blocked = false;
    ::raise(m_received);
  }

 private:
  sigset_t m_set{};
  sigset_t m_previous{};
  bool m_blocked = false;
  int m_fd = -1;
  int m_received = 0;
};

// /dev/tty in raw mode for as long as it lives; the terminal's mode and
// screen are given back however the picker ends.
class Tty {
 public:
  Tty() = default;
  ~Tty() { close(); }
  Tty(const Tty&) = delete;
  Tty& operator=(const Tty&) = delete;

  Result<void> open() {
    m_fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (m_fd < 0 || ::tcgetattr(m_fd, &m_saved) != 0) {
      return fail(ErrorCode::unavailable, "the history picker needs a terminal",
                  "use 'cmdai search QUERY' or 'cmdai history list' instead");
    }
    termios raw = m_saved;
    raw.c_iflag &= ~static_cast<tcflag_t>(ICRNL | INLCR | IGNCR | IXON | ISTRIP | BRKINT);
    raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG | IEXTEN);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    ::tcsetattr(m_fd, TCSAFLUSH, &raw);
    m_raw = true;
    return {};
  }

  void close() {
    if (m_fd < 0) return;
    if (!m_leave.empty()) write(m_leave);
    if (m_raw) ::tcsetattr(m_fd, TCSAFLUSH, &m_saved);
    ::close(m_fd);
    m_fd = -1;
  }

  // Written when the terminal is given back (leave the alternate screen,
  // erase the inline lines).
  void on_leave(std::string text) { m_leave = std::move(text); }

  void write(const std::string& text) const {
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(m_fd, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
  }

  // Waits up to timeout_ms for input (or for a signal on signal_fd, when it
  // is not -1: then returns false at once); appends what came. false:
  // nothing came.
  bool read(std::string& into, int timeout_ms, int signal_fd = -1) const {
    pollfd in[2] = {{m_fd, POLLIN, 0}, {signal_fd, POLLIN, 0}};
    if (::poll(in, signal_fd >= 0 ? 2 : 1, timeout_ms) <= 0) return false;
    if ((in[0].revents & POLLIN) == 0) return false;
    char buffer[4096];
    const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
    if (n <= 0) return false;
    into.append(buffer, static_cast<std::size_t>(n));
    return true;
  }

  // Columns and lines; 80x24 when the terminal does not say.
  std::pair<int, int> size() const {
    winsize ws{};
    if (::ioctl(m_fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0 || ws.ws_row == 0) return {80, 24};
    return {ws.ws_col, ws.ws_row};
  }

 private:
  int m_fd = -1;
  termios m_saved{};
  bool m_raw = false;
  std::string m_leave;
};

enum class Outcome { stay, chosen, left };

class PickerScreen {
 public:
  PickerScreen(PickerModel& model, PickerScreenOptions options) : m_model(model), m_options(std::move(options)) {}

  Result<std::optional<PickerChoice>> run() {
    CMDAI_TRY(m_tty.open());
    use_utf8_locale();
    resize();
    draw();
    std::string pending;
    while (true) {
      if (m_signals.take()) break;
      if (!m_tty.read(pending, k_resize_poll_ms, m_signals.fd())) {
        if (size_changed()) {
          resize();
          draw();
        }
        continue;
      }
      const auto start = std::chrono::steady_clock::now();
      const std::size_t searches = m_model.searches();
      std::vector<Key> keys = decode_keys(pending, false);
      if (!pending.empty() && !m_tty.read(pending, k_escape_wait_ms)) {
        auto rest = decode_keys(pending, true);
        keys.insert(keys.end(), rest.begin(), rest.end());
      }
      if (handle(keys) != Outcome::stay) break;
      if (size_changed()) resize();
      draw();
      const auto took =
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
      m_timings_us.push_back(took);
      if (m_model.searches() != searches)
        m_search_timings_us[static_cast<std::size_t>(m_model.source())].push_back(took);
    }
    m_tty.close();
    log_timings();
    m_signals.resend();
    return m_choice;
  }

 private:
  bool size_changed() const { return m_tty.size() != std::pair{m_cols, m_rows}; }

  // Takes the terminal's size and lays the picker out afresh: full screen
  // on the alternate screen, or inline lines reserved below the cursor.
  void resize() {
    std::tie(m_cols, m_rows) = m_tty.size();
    std::string out;
    if (m_options.lines <= 0) {
      m_height = m_rows;
      if (m_drawn.empty()) out += "\x1b[?1049h";
      out += "\x1b[H\x1b[2J";
      m_tty.on_leave("\x1b[?25h\x1b[?1049l");
    } else {
      const int height = std::clamp(m_options.lines, k_min_lines, std::max(k_min_lines, m_rows));
      if (m_drawn.empty()) {
        // Newlines scroll the screen when the prompt is near the bottom; the
        // region then starts height - 1 lines above where they left the cursor.
        out += "\r" + std::string(static_cast<std::size_t>(height - 1), '\n');
        if (height > 1) out += csi(height - 1, 'A');
        out +=
            "\x1b"
            "7";
      } else {
        out +=
            "\x1b"
            "8\r\x1b[J";
      }
      m_height = height;
      m_tty.on_leave(
          "\x1b[?25h\x1b"
          "8\r\x1b[J");
    }
    m_tty.write(out);
    m_drawn.assign(static_cast<std::size_t>(m_height), std::string());
    m_model.set_limit(picker_list_height(m_height));
  }

  // Where line `row` of the picker starts.
  std::string go_to(int row, int column) const {
    if (m_options.lines <= 0) return "\x1b[" + std::to_string(row + 1) + ";" + std::to_string(column + 1) + "H";
    std::string out =
        "\x1b"
        "8\r";
    if (row > 0) out += csi(row, 'B');
    if (column > 0) out += csi(column, 'C');
    return out;
  }

  // Writes the lines that differ from what is on the screen, in one write.
  void draw() {
    m_options.view.now = m_options.clock ? m_options.clock() : Clock::now();
    const PickerFrame frame = render_picker(m_model, m_options.view, m_cols, m_height);
    std::string out = "\x1b[?25l";
    for (std::size_t i = 0; i < frame.lines.size() && i < m_drawn.size(); ++i) {
      if (frame.lines[i] == m_drawn[i]) continue;
      out += go_to(static_cast<int>(i), 0) + frame.lines[i];
      m_drawn[i] = frame.lines[i];
    }
    out += go_to(frame.cursor_row, frame.cursor_column) + "\x1b[?25h";
    m_tty.write(out);
  }

  Outcome handle(const std::vector<Key>& keys) {
    m_options.view.note.clear();
    std::string typed;  // consecutive characters: one search for a paste
    for (const Key& key : keys) {
      if (key.code == KeyCode::text) {
        typed += key.text;
        continue;
      }
      m_model.insert(typed);
      typed.clear();
      if (const Outcome outcome = handle(key); outcome != Outcome::stay) return outcome;
    }
    m_model.insert(typed);
    return Outcome::stay;
  }

  Outcome handle(const Key& key) {
    const int page = static_cast<int>(picker_list_height(m_height));
    switch (key.code) {
      case KeyCode::enter: return choose(m_options.view.enter_runs ? PickAction::run : PickAction::edit);
      case KeyCode::tab: return choose(PickAction::edit);
      case KeyCode::escape: return Outcome::left;
      case KeyCode::backspace: m_model.erase_before(); break;
      case KeyCode::delete_key: m_model.erase_at(); break;
      case KeyCode::left: m_model.left(); break;
      case KeyCode::right: m_model.right(); break;
      case KeyCode::home: m_model.home(); break;
      case KeyCode::end: m_model.end(); break;
      case KeyCode::up: m_model.move(-1); break;
      case KeyCode::down: m_model.move(1); break;
      case KeyCode::page_up: m_model.move(-page); break;
      case KeyCode::page_down: m_model.move(page); break;
      case KeyCode::ctrl: return handle_ctrl(key.ctrl);
      case KeyCode::text:
      case KeyCode::unknown: break;
    }
    return Outcome::stay;
  }

  Outcome handle_ctrl(char letter) {
    switch (letter) {
      case 'c':
      case 'g': return Outcome::left;
      case 'a': m_model.home(); break;
      case 'e': m_model.end(); break;
      case 'u': m_model.clear_query(); break;
      case 'd': m_model.erase_at(); break;
      case 'p': m_model.move(-1); break;
      case 'n': m_model.move(1); break;
      case 'r': m_model.next_mode(); break;
      case 'f':
        if (m_options.favorite) m_options.view.note = m_model.toggle_favorite(m_options.favorite);
        break;
      default: break;
    }
    return Outcome::stay;
  }

  Outcome choose(PickAction action) {
    m_choice = m_model.choose(action);
    return m_choice ? Outcome::chosen : Outcome::left;
  }

  // "median M us, p95 P us, max X us" of the timings (not empty).
  static std::string percentiles(std::vector<std::int64_t> sorted) {
    std::sort(sorted.begin(), sorted.end());
    const auto at = [&](double share) { return sorted[static_cast<std::size_t>(share * (sorted.size() - 1))]; };
    return "median " + std::to_string(at(0.5)) + " us, p95 " + std::to_string(at(0.95)) + " us, max " +
           std::to_string(sorted.back()) + " us";
  }

  // All keys, then the keys that searched, by the search that answered
  // (the full search is the slow one to watch).
  void log_timings() const {
    if (m_timings_us.empty()) return;
    std::string line =
        "picker: " + std::to_string(m_timings_us.size()) + " keys handled and redrawn; " + percentiles(m_timings_us);
    for (const PickerSource source : {PickerSource::newest, PickerSource::ranked}) {
      const auto& timings = m_search_timings_us[static_cast<std::size_t>(source)];
      if (timings.empty()) continue;
      line += "; " + std::to_string(timings.size()) + " answered by the " + std::string(to_string(source)) + ": " +
              percentiles(timings);
    }
    log::info(line);
  }

  PickerModel& m_model;
  PickerScreenOptions m_options;
  TerminationSignals m_signals;  // before m_tty: blocked until the terminal is given back
  Tty m_tty;
  int m_cols = 80;
  int m_rows = 24;
  int m_height = 24;
  std::vector<std::string> m_drawn;  // what each line shows now
  std::optional<PickerChoice> m_choice;
  std::vector<std::int64_t> m_timings_us;
  std::array<std::vector<std::int64_t>, 2> m_search_timings_us;  // keys that searched, by PickerSource
};

}  // namespace

Result<std::optional<PickerChoice>> run_picker(PickerModel& model, PickerScreenOptions options) {
  PickerScreen screen(model, std::move(options));
  return screen.run();
}

}  // namespace cmdai::tui
