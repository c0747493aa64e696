// The editor's model without a terminal: rows per section, validation as
// typed, choices, instances, the command probe, dirty tracking.

#include "tui/editor_model.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace cmdai::tui {
namespace {

EditorModel model(config::ConfigurationState state = {}) {
  return EditorModel(std::move(state), {{"ui.color", {config::Origin::env, "NO_COLOR"}}},
                     [](const std::string& command, const config::ConfigurationState&) { return "rated " + command; });
}

std::size_t row_of(const EditorModel& m, const std::string& label) {
  for (std::size_t i = 0; i < m.rows().size(); ++i) {
    if (m.rows()[i].label == label) return i;
  }
  ADD_FAILURE() << "no row " << label;
  return 0;
}

TEST(EditorModel, FourSectionsCoverEveryKey) {
  auto m = model();
  std::size_t keyed = 0;
  for (std::size_t s = 0; s < 4; ++s) {
    m.set_section(s);
    for (const auto& row : m.rows()) keyed += row.key.spec != nullptr;
  }
  EXPECT_EQ(keyed, config::key_table().size());
}

TEST(EditorModel, InvalidTextShowsErrorAndKeepsTheLastValidValue) {
  auto m = model();
  m.focus_row(row_of(m, "endpoint"));
  m.set_text("localhost");
  ASSERT_TRUE(m.focused().error);
  EXPECT_NE(m.focused().error->find("http://"), std::string::npos);
  EXPECT_EQ(m.error_count(), 1u);
  EXPECT_FALSE(m.dirty());
  m.set_text("http://localhost:11434");
  EXPECT_FALSE(m.focused().error);
  EXPECT_EQ(m.error_count(), 0u);
  EXPECT_TRUE(m.dirty());
  EXPECT_EQ(m.edited().backend_configs.at("ollama").endpoint, "http://localhost:11434");
}

TEST(EditorModel, RejectedTextSurvivesSwitchingSections) {
  auto m = model();
  m.set_section(1);
  m.focus_row(row_of(m, "max entries"));
  m.set_text("-1");
  m.set_section(2);
  m.set_section(1);
  const Row& row = m.rows()[row_of(m, "max entries")];
  EXPECT_EQ(row.text, "-1");
  EXPECT_TRUE(row.error);
}

TEST(EditorModel, ChoicesCycleBothWays) {
  auto m = model();
  m.set_section(2);
  m.focus_row(row_of(m, "safety level"));
  m.cycle(-1);
  EXPECT_EQ(m.edited().safety_level, config::SafetyLevel::strict);
  m.cycle(-1);
  EXPECT_EQ(m.edited().safety_level, config::SafetyLevel::permissive);
  m.cycle(1);
  m.cycle(1);
  EXPECT_EQ(m.edited().safety_level, config::SafetyLevel::moderate);
  EXPECT_FALSE(m.dirty());
}

TEST(EditorModel, InstanceSelectorSwitchesTheRowsBelowIt) {
  auto m = model();
  m.focus_row(row_of(m, "endpoint"));
  m.set_text("http://a:1");
  m.focus_row(row_of(m, "instance"));
  m.cycle(1);
  EXPECT_NE(m.rows()[row_of(m, "instance")].text, "ollama");
  EXPECT_EQ(m.rows()[row_of(m, "endpoint")].text, "");
}

TEST(EditorModel, TabWrapsAcrossSections) {
  auto m = model();
  const std::size_t rows = m.rows().size();
  for (std::size_t i = 0; i < rows; ++i) m.focus_next();
  EXPECT_EQ(m.section(), 1u);
  EXPECT_EQ(m.focus(), 0u);
  m.focus_previous();
  EXPECT_EQ(m.section(), 0u);
  EXPECT_EQ(m.focus(), rows - 1);
}

TEST(EditorModel, ProbeRatesWhatIsTypedAndOverridesAreNoted) {
  auto m = model();
  m.set_section(2);
  m.focus_row(row_of(m, "test a command"));
  m.set_text("rm -rf /");
  EXPECT_EQ(m.probe_result(), "rated rm -rf /");
  m.set_section(3);
  EXPECT_NE(m.rows()[row_of(m, "colour")].note.find("NO_COLOR"), std::string::npos);
}

TEST(EditorModel, ProbeRatesAgainWhenASafetySettingChanges) {
  EditorModel m({}, {}, [](const std::string& command, const config::ConfigurationState& state) {
    return std::string(config::to_string(state.safety_level)) + " " +
           std::to_string(state.custom_safety_patterns.size()) + " " + command;
  });
  m.set_section(2);
  m.focus_row(row_of(m, "test a command"));
  m.set_text("rm -rf build");
  EXPECT_EQ(m.probe_result(), "moderate 0 rm -rf build");
  m.focus_row(row_of(m, "safety level"));
  m.cycle(-1);
  EXPECT_EQ(m.probe_result(), "strict 0 rm -rf build");
  m.focus_row(row_of(m, "custom patterns"));
  m.set_text("^rm ");
  EXPECT_EQ(m.probe_result(), "strict 1 rm -rf build");
  m.set_text("(");  // does not compile: the last valid state keeps rating
  EXPECT_EQ(m.probe_result(), "strict 1 rm -rf build");
}

TEST(EditorModel, ChangesMadeElsewhereMergeAndLocalEditsAreKept) {
  EditorModel m({}, {}, [](const std::string& command, const config::ConfigurationState& state) {
    return std::string(config::to_string(state.safety_level)) + " " + command;
  });
  m.set_section(3);
  m.focus_row(row_of(m, "streaming"));
  m.cycle(1);  // edited here: streaming off
  m.set_section(2);
  m.focus_row(row_of(m, "test a command"));
  m.set_text("rm -rf build");
  ASSERT_EQ(m.probe_result(), "moderate rm -rf build");

  config::ConfigurationState file;  // what another process saved
  file.safety_level = config::SafetyLevel::strict;
  file.streaming_enabled = true;
  file.color_output = false;
  const auto kept = m.merge_external(file);
  EXPECT_TRUE(kept.empty()) << "the file did not change streaming: nothing to keep against";
  EXPECT_EQ(m.edited().safety_level, config::SafetyLevel::strict);
  EXPECT_FALSE(m.edited().color_output);
  EXPECT_FALSE(m.edited().streaming_enabled) << "the edit made here stays";
  EXPECT_EQ(m.probe_result(), "strict rm -rf build") << "re-rated with the new level";
  EXPECT_EQ(m.rows()[row_of(m, "safety level")].text, "strict");
  EXPECT_TRUE(m.dirty());

  file.streaming_enabled = true;
  file.safety_level = config::SafetyLevel::permissive;
  config::ConfigurationState conflicting = file;
  conflicting.streaming_enabled = true;
  m.set_section(3);
  m.focus_row(row_of(m, "verbosity"));
  m.cycle(1);  // edited here: verbose
  conflicting.verbosity_level = config::VerbosityLevel::debug;
  const auto kept_now = m.merge_external(conflicting);
  ASSERT_EQ(kept_now, (std::vector<std::string>{"ui.verbosity"}));
  EXPECT_EQ(m.edited().verbosity_level, config::VerbosityLevel::verbose);
  EXPECT_EQ(m.edited().safety_level, config::SafetyLevel::permissive);
}

// Adds an instance whose name says no type and returns the type it got.
std::string type_for_custom_name(EditorModel& m) {
  m.focus_row(row_of(m, "add instance"));
  m.set_text("office");
  if (m.add_instance()) return "not added";
  return m.focused().text;
}

TEST(EditorModel, AddsAnInstanceNamedAsTypedWithInlineChecks) {
  auto m = model();
  m.focus_row(row_of(m, "add instance"));
  for (const auto& [name, problem] : std::vector<std::pair<std::string, std::string>>{
           {"work gpu", "letters, digits"}, {"rules", "built in"}, {std::string(65, 'a'), "at most 64"}}) {
    m.set_text(name);
    ASSERT_TRUE(m.focused().error) << name;
    EXPECT_NE(m.focused().error->find(problem), std::string::npos) << *m.focused().error;
    EXPECT_TRUE(m.add_instance()) << "not added: " << name;
  }
  EXPECT_EQ(m.error_count(), 0u) << "a name being typed is not a configuration error";
  m.set_text("vllm-gpu2");
  EXPECT_FALSE(m.focused().error);
  ASSERT_FALSE(m.add_instance());
  EXPECT_EQ(m.instance(), "vllm-gpu2");
  EXPECT_EQ(m.focused().label, "type") << "the new instance's type is edited next";
  EXPECT_EQ(m.focused().text, "vllm") << "read from the name";
  EXPECT_EQ(std::count(m.focused().choices.begin(), m.focused().choices.end(), ""), 0)
      << "an instance not named after a type cannot lose its type";
  m.focus_row(row_of(m, "endpoint"));
  m.set_text("http://10.0.0.5:8000/v1");
  m.focus_row(row_of(m, "local"));
  m.cycle(1);
  m.cycle(1);
  const auto& added = m.edited().backend_configs.at("vllm-gpu2");
  EXPECT_EQ(added.type, BackendType::vllm);
  EXPECT_EQ(added.endpoint, "http://10.0.0.5:8000/v1");
  EXPECT_EQ(added.local, false);
  // The new name is offered as preferred backend and accepted in the chain.
  m.focus_row(row_of(m, "preferred backend"));
  const auto& choices = m.focused().choices;
  EXPECT_NE(std::find(choices.begin(), choices.end(), "vllm-gpu2"), choices.end());
  m.focus_row(row_of(m, "fallback chain"));
  m.set_text("vllm-gpu2, rules");
  EXPECT_FALSE(m.focused().error);
  // Taken now.
  m.focus_row(row_of(m, "add instance"));
  m.set_text("vllm-gpu2");
  ASSERT_TRUE(m.focused().error);
  EXPECT_NE(m.focused().error->find("exists already"), std::string::npos);
  EXPECT_EQ(type_for_custom_name(m), "openai");
}

TEST(EditorModel, RemovingAnInstanceDropsItFromChainAndPreference) {
  config::ConfigurationState state;
  config::set_value(state, *config::resolve_key("backend.instances.work.type"),
                    config::ConfigValue{std::string("ollama")});
  config::set_value(state, *config::resolve_key("backend.fallback_chain"),
                    config::ConfigValue{std::vector<std::string>{"work", "rules"}});
  config::set_value(state, *config::resolve_key("backend.preferred"), config::ConfigValue{std::string("work")});
  auto m = model(state);
  ASSERT_EQ(m.instance(), "work");
  m.focus_row(row_of(m, "instance"));
  auto removed = m.remove_instance();
  ASSERT_TRUE(removed) << removed.error().message;
  EXPECT_NE(removed->find("dropped from the fallback chain"), std::string::npos) << *removed;
  EXPECT_NE(removed->find("preferred backend is auto"), std::string::npos) << *removed;
  EXPECT_EQ(m.edited().backend_configs.count("work"), 0u);
  EXPECT_EQ(m.edited().fallback_instances, (std::vector<std::string>{"rules"}));
  EXPECT_FALSE(m.edited().preferred_instance);
  EXPECT_TRUE(m.dirty());
  // A type shown but not configured has nothing to remove.
  EXPECT_EQ(m.instance(), "ollama");
  EXPECT_FALSE(m.remove_instance());
}

TEST(EditorModel, MarkSavedClearsDirty) {
  auto m = model();
  m.set_section(3);
  m.focus_row(row_of(m, "streaming"));
  m.cycle(1);
  EXPECT_TRUE(m.dirty());
  m.mark_saved();
  EXPECT_FALSE(m.dirty());
}

}  // namespace
}  // namespace cmdai::tui
