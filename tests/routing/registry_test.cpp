#include "routing/registry.h"

#include <gtest/gtest.h>

#include "routing/fake_backend.h"

namespace cmdai::routing {
namespace {

using testing::server;

TEST(Registry, AddsRulesAndKeepsItLast) {
  auto rules = server("rules", BackendType::rules, "");
  auto registry = Registry::create({rules, server("a"), server("b", BackendType::ollama)});
  ASSERT_TRUE(registry) << registry.error().describe();
  ASSERT_EQ(registry->instances().size(), 3u);
  EXPECT_EQ(registry->instances().back().name, "rules");
  auto without = Registry::create({server("a")});
  ASSERT_TRUE(without);
  EXPECT_EQ(without->instances().back().type, BackendType::rules);
}

TEST(Registry, RejectsDuplicateNamesMissingEndpointsAndBadSchemes) {
  auto duplicate = Registry::create({server("a"), server("a")});
  ASSERT_FALSE(duplicate);
  EXPECT_NE(duplicate.error().message.find("defined twice"), std::string::npos);
  auto no_endpoint = Registry::create({server("a", BackendType::ollama, "")});
  ASSERT_FALSE(no_endpoint);
  EXPECT_EQ(no_endpoint.error().code, ErrorCode::invalid_argument);
  auto bad_scheme = Registry::create({server("a", BackendType::vllm, "ftp://host")});
  ASSERT_FALSE(bad_scheme);
  EXPECT_NE(bad_scheme.error().hint.find("http://"), std::string::npos);
  auto empty = Registry::create({server("")});
  ASSERT_FALSE(empty);
}

TEST(Registry, ResolvesInstanceNamesAndTypeNames) {
  auto registry = Registry::create({server("gpu1"), server("gpu2"), server("home", BackendType::ollama)});
  ASSERT_TRUE(registry);
  auto one = registry->resolve("home");
  ASSERT_TRUE(one);
  ASSERT_EQ(one->size(), 1u);
  auto of_type = registry->resolve("vllm");
  ASSERT_TRUE(of_type);
  EXPECT_EQ(of_type->size(), 2u);
}

TEST(Registry, UnknownNameSuggestsTheClosestAndListsAll) {
  auto registry = Registry::create({server("gpu1"), server("home", BackendType::ollama)});
  ASSERT_TRUE(registry);
  auto missing = registry->resolve("gpu2x");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_NE(missing.error().hint.find("did you mean 'gpu1'?"), std::string::npos) << missing.error().hint;
  EXPECT_NE(missing.error().hint.find("home"), std::string::npos);
  auto far = registry->resolve("zzzzzzzzzz");
  ASSERT_FALSE(far);
  EXPECT_EQ(far.error().hint.find("did you mean"), std::string::npos);
  auto unconfigured = registry->resolve("mlx");
  ASSERT_FALSE(unconfigured);
  EXPECT_NE(unconfigured.error().message.find("no mlx backend is configured"), std::string::npos);
  EXPECT_EQ(unconfigured.error().hint.find("did you mean 'mlx'"), std::string::npos)
      << "never the word typed: " << unconfigured.error().hint;
}

TEST(Registry, ClosestNameNeverSuggestsTheWordTyped) {
  const std::vector<std::string> names{"vllm", "llama", "ollama"};
  EXPECT_NE(closest_name("vllm", names), std::optional<std::string>("vllm")) << "a neighbour, or nothing";
  EXPECT_EQ(closest_name("olama", names), "ollama");
  const std::vector<std::string> alone{"vllm"};
  EXPECT_FALSE(closest_name("vllm", alone));
}

TEST(Registry, SaysWhatKeepsAnInstanceFromWorking) {
  auto half = server("work", BackendType::openai, std::string());
  auto problem = instance_problem(half);
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->field, "endpoint");
  EXPECT_NE(problem->error.message.find("'work' has no endpoint"), std::string::npos);
  half.endpoint = "ftp://x";
  ASSERT_TRUE(instance_problem(half));
  EXPECT_EQ(instance_problem(half)->field, "endpoint");
  EXPECT_FALSE(instance_problem(server("fine")));
  EXPECT_FALSE(instance_problem(server("rules", BackendType::rules, std::string())));
}

TEST(Registry, BadInputInNamesGivesAnErrorNotACrash) {
  auto registry = Registry::create({server("a")});
  ASSERT_TRUE(registry);
  const std::string nul("a\0b", 3);
  EXPECT_FALSE(registry->resolve(nul));
  EXPECT_FALSE(registry->resolve("\xff\xfe"));
  EXPECT_FALSE(registry->resolve(std::string(100'000, 'x')));
}

TEST(Instance, LoopbackEndpointsAreLocal) {
  EXPECT_TRUE(is_loopback_endpoint("http://127.0.0.1:8080"));
  EXPECT_TRUE(is_loopback_endpoint("http://localhost:11434/v1"));
  EXPECT_TRUE(is_loopback_endpoint("http://[::1]:8000"));
  EXPECT_FALSE(is_loopback_endpoint("https://api.openai.com/v1"));
  EXPECT_FALSE(is_loopback_endpoint("http://localhost.evil.com"));
  EXPECT_FALSE(is_loopback_endpoint("http://10.0.0.5:8000"));
}

}  // namespace
}  // namespace cmdai::routing
