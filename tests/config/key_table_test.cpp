// The key table is complete and consistent: help, validator, environment
// variable and a default that matches ConfigurationState{} for every key.

#include "config/key_table.h"

#include <gtest/gtest.h>

#include <set>

#include "config/reference.h"

namespace cmdai::config {
namespace {

ResolvedKey concrete(const KeySpec& spec) {
  return is_instance_key(spec) ? instance_key(spec, "ollama") : ResolvedKey{&spec, "", std::string(spec.name)};
}

TEST(KeyTable, EveryKeyHasHelpValidatorAccessorsEnvVarAndSection) {
  std::set<std::string_view> names, variables;
  for (const auto& spec : key_table()) {
    SCOPED_TRACE(std::string(spec.name));
    EXPECT_FALSE(spec.help.empty());
    EXPECT_FALSE(spec.label.empty());
    EXPECT_NE(spec.validate, nullptr);
    EXPECT_NE(spec.get, nullptr);
    EXPECT_NE(spec.set, nullptr);
    EXPECT_TRUE(spec.env_var.starts_with("CMDAI_"));
    EXPECT_TRUE(names.insert(spec.name).second) << "duplicate key";
    EXPECT_TRUE(variables.insert(spec.env_var).second) << "duplicate variable";
    EXPECT_NE(std::find(section_names().begin(), section_names().end(), spec.section), section_names().end());
    if (spec.type == KeyType::choice) {
      EXPECT_FALSE(spec.choices.empty());
    }
  }
}

TEST(KeyTable, DefaultsMatchAFreshStateAndPassTheirValidators) {
  const ConfigurationState fresh;
  for (const auto& spec : key_table()) {
    SCOPED_TRACE(std::string(spec.name));
    const ResolvedKey key = concrete(spec);
    EXPECT_EQ(to_text(get_value(fresh, key)), spec.default_text);
    EXPECT_EQ(check_value(key, get_value(fresh, key), fresh), std::nullopt);
  }
}

TEST(KeyTable, SetThenGetGivesTheValueBackForEveryKey) {
  const std::map<std::string_view, std::string> samples{{"backend.preferred", "ollama"},
                                                        {"backend.fallback_chain", "ollama, rules"},
                                                        {"history.max_age_days", "30"},
                                                        {"safety.custom_patterns", "['a,b', 'c']"},
                                                        {"backend.instances.*.type", "openai"},
                                                        {"backend.instances.*.endpoint", "http://localhost:1"},
                                                        {"backend.instances.*.api_key_env", "KEY"},
                                                        {"safety.confirmation_required", "high, critical"}};
  for (const auto& spec : key_table()) {
    SCOPED_TRACE(std::string(spec.name));
    const ResolvedKey key = concrete(spec);
    ConfigurationState state;
    std::string text = samples.count(spec.name) ? samples.at(spec.name) : std::string(spec.default_text);
    if (spec.type == KeyType::boolean) text = spec.default_text == "true" ? "false" : "true";
    if (spec.type == KeyType::choice && !samples.count(spec.name)) text = std::string(spec.choices.back());
    if (spec.type == KeyType::integer && !samples.count(spec.name)) text = "7";
    auto value = parse_text(spec.type, text);
    ASSERT_TRUE(value) << value.error().describe();
    ASSERT_EQ(check_value(key, *value, state), std::nullopt);
    set_value(state, key, *value);
    EXPECT_EQ(to_text(get_value(state, key)), text);
  }
}

TEST(KeyTable, ResolvesInstanceKeysAndRejectsBadNames) {
  auto key = resolve_key("backend.instances.work-gpu.endpoint");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->instance, "work-gpu");
  EXPECT_EQ(env_var_for(*key), "CMDAI_BACKEND_WORK_GPU_ENDPOINT");
  EXPECT_FALSE(resolve_key("backend.instances..endpoint"));
  EXPECT_FALSE(resolve_key("backend.instances.a b.endpoint"));
  EXPECT_FALSE(resolve_key("history.nope"));
  EXPECT_EQ(closest_key("histroy.enabled"), "history.enabled");
}

TEST(KeyTable, PreferredInstanceAndChainTypesFollowInstanceTypes) {
  ConfigurationState state;
  set_value(state, *resolve_key("backend.instances.work.type"), ConfigValue{std::string("vllm")});
  set_value(state, *resolve_key("backend.preferred"), ConfigValue{std::string("work")});
  set_value(state, *resolve_key("backend.fallback_chain"), ConfigValue{std::vector<std::string>{"work", "rules"}});
  EXPECT_EQ(state.preferred_backend, BackendType::vllm);
  EXPECT_EQ(state.preferred_instance, "work");
  EXPECT_EQ(state.fallback_chain, (std::vector<BackendType>{BackendType::vllm, BackendType::rules}));
}

TEST(KeyTable, TypeMismatchIsReported) {
  auto key = *resolve_key("history.max_entries");
  EXPECT_NE(check_value(key, ConfigValue{std::string("many")}, {}), std::nullopt);
}

TEST(Reference, ListsEveryKeyWithItsVariable) {
  const std::string markdown = reference_markdown();
  for (const auto& spec : key_table()) {
    EXPECT_NE(markdown.find("`" + std::string(spec.name) + "`"), std::string::npos) << spec.name;
    EXPECT_NE(markdown.find(std::string(spec.env_var)), std::string::npos) << spec.env_var;
  }
}

}  // namespace
}  // namespace cmdai::config
