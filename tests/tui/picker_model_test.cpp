// The history picker without a terminal: a search on every edit of the
// query and every mode, the selection, choosing (run, edit), favourites,
// errors; the rows as lines (picker_view); keys from terminal bytes.

#include "tui/picker_model.h"

#include <gtest/gtest.h>

#include <clocale>

#include "core/terminal_text.h"
#include "tui/picker_view.h"
#include "tui/terminal_keys.h"
#include "tui/text_columns.h"

namespace cmdai::tui {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const Timestamp k_now = Clock::from_time_t(1'800'000'000);

PickerRow row(std::string id, std::string command, std::optional<int> exit_code = 0, RiskLevel risk = RiskLevel::safe) {
  PickerRow r;
  r.id = std::move(id);
  r.command = std::move(command);
  r.when = k_now - minutes(5);
  r.duration = Micros(1'200'000);
  r.exit_code = exit_code;
  r.risk = risk;
  r.directory = "/home/me/src/app";
  return r;
}

// A history of four entries searched by substring; failed mode keeps
// nonzero exits. Records every query it was asked.
struct History {
  std::vector<PickerRow> rows{row("a1", "git status"), row("b2", "git stash pop", 1),
                              row("c3", "rm -rf build", 0, RiskLevel::high), row("d4", "make test", 2)};
  std::vector<PickerQuery> asked;

  PickerSearch search() {
    return [this](const PickerQuery& query) -> Result<PickerAnswer> {
      asked.push_back(query);
      std::vector<PickerRow> out;
      for (const auto& r : rows) {
        if (r.command.find(query.text) == std::string::npos) continue;
        if (query.mode == PickerMode::failed && r.exit_code.value_or(0) == 0) continue;
        out.push_back(r);
      }
      return PickerAnswer{out, PickerSource::newest};
    };
  }
};

std::vector<std::string> commands(const PickerModel& model) {
  std::vector<std::string> out;
  for (const auto& r : model.rows()) out.push_back(r.command);
  return out;
}

TEST(PickerModel, OpensWithTheLineAsTheQueryAndSearchesOnEveryKeystroke) {
  History history;
  PickerModel model("git", history.search(), 10);
  EXPECT_EQ(model.query(), "git");
  EXPECT_EQ(commands(model), (std::vector<std::string>{"git status", "git stash pop"}));
  model.insert(" sta");
  EXPECT_EQ(commands(model), (std::vector<std::string>{"git status", "git stash pop"}));
  model.insert("s");
  EXPECT_EQ(commands(model), std::vector<std::string>{"git stash pop"});
  model.erase_before();
  model.erase_before();
  EXPECT_EQ(model.query(), "git st");
  ASSERT_EQ(history.asked.size(), 5u);
  EXPECT_EQ(history.asked.back().text, "git st");
  EXPECT_EQ(history.asked.back().limit, 10u);
  // Moving the cursor searches nothing; an edit that changes nothing neither.
  model.home();
  model.erase_before();
  model.left();
  EXPECT_EQ(history.asked.size(), 5u);
  model.clear_query();
  EXPECT_EQ(model.rows().size(), 4u);
}

TEST(PickerModel, ModesCycleAndEachSearchesAgain) {
  History history;
  PickerModel model("", history.search(), 10);
  EXPECT_EQ(model.mode(), PickerMode::global);
  std::vector<std::string> names;
  for (std::size_t i = 0; i < k_picker_mode_count; ++i) {
    names.emplace_back(to_string(model.mode()));
    if (model.mode() == PickerMode::failed) {
      EXPECT_EQ(commands(model), (std::vector<std::string>{"git stash pop", "make test"}));
    }
    model.next_mode();
  }
  EXPECT_EQ(names, (std::vector<std::string>{"global", "this host", "this session", "this directory", "failed"}));
  EXPECT_EQ(model.mode(), PickerMode::global);
  EXPECT_EQ(history.asked.size(), 1 + k_picker_mode_count);
  EXPECT_EQ(history.asked[2].mode, PickerMode::session);
}

TEST(PickerModel, SelectionMovesWithinTheRowsAndStartsOverOnANewSearch) {
  History history;
  PickerModel model("", history.search(), 10);
  EXPECT_EQ(model.selection()->id, "a1");
  model.move(-1);
  EXPECT_EQ(model.selected(), 0u);
  model.move(2);
  EXPECT_EQ(model.selection()->id, "c3");
  model.move(100);
  EXPECT_EQ(model.selection()->id, "d4");
  model.insert("git");
  EXPECT_EQ(model.selected(), 0u);
  model.insert("zzz");
  EXPECT_EQ(model.selection(), nullptr);
  model.move(1);
  EXPECT_FALSE(model.choose(PickAction::run));
}

TEST(PickerModel, ChoosingGivesTheCommandAndHowItLeaves) {
  History history;
  PickerModel model("make", history.search(), 10);
  auto run = model.choose(PickAction::run);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->action, PickAction::run);
  EXPECT_EQ(run->command, "make test");
  EXPECT_EQ(run->id, "d4");
  EXPECT_EQ(model.choose(PickAction::edit)->action, PickAction::edit);
}

TEST(PickerModel, AsksForNoMoreRowsThanFitAndAgainWhenMoreFit) {
  History history;
  PickerModel model("", history.search(), 2);
  EXPECT_EQ(model.rows().size(), 2u);
  model.move(1);
  model.set_limit(1);
  EXPECT_EQ(model.rows().size(), 1u);
  EXPECT_EQ(model.selected(), 0u);
  EXPECT_EQ(history.asked.size(), 1u);
  model.set_limit(10);
  EXPECT_EQ(history.asked.size(), 2u);
  EXPECT_EQ(model.rows().size(), 4u);
}

TEST(PickerModel, FavoriteMarksAndUnmarksTheSelectedEntry) {
  History history;
  PickerModel model("stash", history.search(), 10);
  std::vector<std::pair<std::string, bool>> calls;
  PickerFavorite favorite = [&](const std::string& id, bool mark) -> Result<void> {
    calls.emplace_back(id, mark);
    return {};
  };
  EXPECT_EQ(model.toggle_favorite(favorite), "marked favorite");
  EXPECT_TRUE(model.selection()->favorite);
  EXPECT_EQ(model.toggle_favorite(favorite), "no longer a favorite");
  EXPECT_FALSE(model.selection()->favorite);
  EXPECT_EQ(calls, (std::vector<std::pair<std::string, bool>>{{"b2", true}, {"b2", false}}));
  PickerFavorite broken = [](const std::string&, bool) -> Result<void> {
    return fail(ErrorCode::io_error, "database is read-only");
  };
  EXPECT_EQ(model.toggle_favorite(broken), "not changed: database is read-only");
  EXPECT_FALSE(model.selection()->favorite);
  model.insert("zzz");
  EXPECT_EQ(model.toggle_favorite(favorite), "nothing selected");
}

TEST(PickerModel, AFailedSearchEmptiesTheRowsAndSaysWhy) {
  bool broken = false;
  PickerModel model(
      "",
      [&](const PickerQuery&) -> Result<PickerAnswer> {
        if (broken) return fail(ErrorCode::unavailable, "this shell has no session");
        return PickerAnswer{{row("a1", "ls")}, PickerSource::newest};
      },
      5);
  EXPECT_EQ(model.rows().size(), 1u);
  broken = true;
  model.next_mode();
  EXPECT_TRUE(model.rows().empty());
  EXPECT_EQ(model.status(), "this shell has no session");
  broken = false;
  model.next_mode();
  EXPECT_EQ(model.status(), "");
  EXPECT_EQ(model.rows().size(), 1u);
}

TEST(PickerModel, SaysWhichSearchFoundTheRows) {
  // Substrings answer from the newest entries; anything else ranked.
  PickerModel model(
      "",
      [](const PickerQuery& query) -> Result<PickerAnswer> {
        if (query.text == "broken") return fail(ErrorCode::io_error, "disk I/O error");
        if (std::string("git status").find(query.text) != std::string::npos) {
          return PickerAnswer{{row("a1", "git status")}, PickerSource::newest};
        }
        return PickerAnswer{{row("a1", "git status")}, PickerSource::ranked};
      },
      5);
  EXPECT_EQ(model.source(), PickerSource::newest);
  model.insert("gti");
  EXPECT_EQ(model.source(), PickerSource::ranked);
  EXPECT_EQ(model.searches(), 2u);
  model.clear_query();
  model.insert("git");
  EXPECT_EQ(model.source(), PickerSource::newest);
  model.insert(" x");
  EXPECT_EQ(model.source(), PickerSource::ranked);
  model.clear_query();
  model.insert("broken");
  EXPECT_EQ(model.source(), PickerSource::newest);
  EXPECT_EQ(model.status(), "disk I/O error");
  EXPECT_EQ(to_string(PickerSource::newest), "newest matches");
  EXPECT_EQ(to_string(PickerSource::ranked), "full search");
}

TEST(PickerRowText, TimeAgoAndDurations) {
  EXPECT_EQ(time_ago(k_now, k_now), "now");
  EXPECT_EQ(time_ago(k_now + seconds(5), k_now), "now");
  EXPECT_EQ(time_ago(k_now - seconds(45), k_now), "45s");
  EXPECT_EQ(time_ago(k_now - minutes(12), k_now), "12m");
  EXPECT_EQ(time_ago(k_now - hours(3) - minutes(59), k_now), "3h");
  EXPECT_EQ(time_ago(k_now - hours(24 * 5), k_now), "5d");
  EXPECT_EQ(time_ago(k_now - hours(24 * 50), k_now), "7w");
  EXPECT_EQ(time_ago(k_now - hours(24 * 800), k_now), "2y");
  EXPECT_EQ(format_duration(std::nullopt), "");
  EXPECT_EQ(format_duration(Micros(850'000)), "850ms");
  EXPECT_EQ(format_duration(Micros(4'250'000)), "4.2s");
  EXPECT_EQ(format_duration(Micros(187'000'000)), "3m07s");
  EXPECT_EQ(format_duration(Micros(7'500'000'000)), "2h05m");
}

// Lines without their colour and attribute sequences.
std::string plain(const std::string& line) {
  std::string out;
  for (std::size_t at = 0; at < line.size(); ++at) {
    if (line[at] == '\x1b') {
      at = line.find('m', at);
      continue;
    }
    out += line[at];
  }
  return out;
}

class PickerView : public ::testing::Test {
 protected:
  void SetUp() override { use_utf8_locale(); }
};

TEST_F(PickerView, EveryLineIsAsWideAsTheScreenAndRowsShowTheirColumns) {
  History history;
  history.rows[0].favorite = true;
  PickerModel model("", history.search(), 10);
  model.move(1);
  const PickerViewOptions options{true, "/home/me", k_now, true, ""};
  const PickerFrame frame = render_picker(model, options, 100, 8);
  ASSERT_EQ(frame.lines.size(), 8u);
  for (const auto& line : frame.lines) EXPECT_EQ(columns(plain(line)), 100) << plain(line);
  EXPECT_EQ(plain(frame.lines[0]).substr(0, 2), "> ");
  EXPECT_NE(plain(frame.lines[0]).find("[global] 4"), std::string::npos);
  const std::string first = plain(frame.lines[1]);
  EXPECT_EQ(first.substr(0, 4), "  * ") << first;
  EXPECT_NE(first.find("  5m   1.2s   0  git status"), std::string::npos) << first;
  EXPECT_NE(first.find("~/src/app"), std::string::npos) << first;
  // The selection: marked and in reverse video; a failure's status in red;
  // a high-risk command in red.
  EXPECT_EQ(plain(frame.lines[2]).substr(0, 2), "> ");
  EXPECT_TRUE(frame.lines[2].starts_with("\x1b[7m")) << frame.lines[2];
  EXPECT_NE(frame.lines[2].find("\x1b[31m  1"), std::string::npos) << frame.lines[2];
  EXPECT_NE(frame.lines[3].find("\x1b[31mrm -rf build"), std::string::npos) << frame.lines[3];
  EXPECT_NE(plain(frame.lines[7]).find("Enter run  Tab edit  Esc back"), std::string::npos);
  EXPECT_EQ(frame.cursor_row, 0);
  EXPECT_EQ(frame.cursor_column, 2);
}

TEST_F(PickerView, NoColourKeepsOnlyTheSelectionsReverseVideo) {
  History history;
  PickerModel model("git", history.search(), 10);
  const PickerViewOptions options{false, "", k_now, false, ""};
  const PickerFrame frame = render_picker(model, options, 60, 5);
  for (const auto& line : frame.lines) {
    std::string rest = line;
    for (std::string_view allowed : {"\x1b[7m", "\x1b[0m"}) {
      for (auto at = rest.find(allowed); at != std::string::npos; at = rest.find(allowed))
        rest.erase(at, allowed.size());
    }
    EXPECT_EQ(rest.find('\x1b'), std::string::npos) << line;
  }
  EXPECT_NE(plain(frame.lines[4]).find("Enter/Tab edit"), std::string::npos);
  EXPECT_EQ(frame.cursor_column, 5);
}

TEST_F(PickerView, HostileCommandsAreShownNotObeyedAndWideTextFits) {
  History history;
  history.rows = {row("e5", "echo \x1b]52;c;aGk=\x07 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e")};
  history.rows[0].directory = "/srv/\x1b[2J";
  PickerModel model("", history.search(), 10);
  const PickerViewOptions options{false, "", k_now, true, "marked favorite"};
  const PickerFrame frame = render_picker(model, options, 50, 4);
  for (const auto& line : frame.lines) {
    EXPECT_EQ(columns(plain(line)), 50) << plain(line);
    EXPECT_EQ(line.find("\x1b]"), std::string::npos);
    EXPECT_EQ(line.find("\x07"), std::string::npos);
  }
  EXPECT_NE(plain(frame.lines[1]).find("\\e]52"), std::string::npos) << plain(frame.lines[1]);
  EXPECT_NE(plain(frame.lines[3]).find("marked favorite"), std::string::npos);
}

TEST(TerminalKeys, TextControlsAndEscapeSequences) {
  std::string bytes = "a\xc3\xa9\r\t\x7f\x12\x06\x1b[A\x1bOB\x1b[3~\x1b[1;5C\x1b[5~";
  const auto keys = decode_keys(bytes, false);
  EXPECT_TRUE(bytes.empty());
  const std::vector<Key> want{{KeyCode::text, "a", 0},      {KeyCode::text, "\xc3\xa9", 0}, {KeyCode::enter, "", 0},
                              {KeyCode::tab, "", 0},        {KeyCode::backspace, "", 0},    {KeyCode::ctrl, "", 'r'},
                              {KeyCode::ctrl, "", 'f'},     {KeyCode::up, "", 0},           {KeyCode::down, "", 0},
                              {KeyCode::delete_key, "", 0}, {KeyCode::right, "", 0},        {KeyCode::page_up, "", 0}};
  EXPECT_EQ(keys, want);
}

TEST(TerminalKeys, ALoneEscapeWaitsForWhatFollows) {
  std::string bytes = "x\x1b";
  EXPECT_EQ(decode_keys(bytes, false), (std::vector<Key>{Key{KeyCode::text, "x", 0}}));
  EXPECT_EQ(bytes, "\x1b");
  std::string more = bytes + "[B";
  EXPECT_EQ(decode_keys(more, false), (std::vector<Key>{Key{KeyCode::down, "", 0}}));
  EXPECT_EQ(decode_keys(bytes, true), (std::vector<Key>{Key{KeyCode::escape, "", 0}}));
  EXPECT_TRUE(bytes.empty());
  // A character cut between reads waits for its last bytes; an invalid byte is dropped.
  std::string cut = "\xe6\x97";
  EXPECT_TRUE(decode_keys(cut, false).empty());
  cut += "\xa5\xff";
  EXPECT_EQ(decode_keys(cut, false), (std::vector<Key>{Key{KeyCode::text, "\xe6\x97\xa5", 0}}));
  EXPECT_TRUE(cut.empty());
}

}  // namespace
}  // namespace cmdai::tui
