#include "history/record_row.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/entity_json.h"

namespace cmdai::history {
namespace {

// Text with what nlohmann escapes or replaces: quotes, backslashes,
// controls, DEL, non-ASCII UTF-8 and bytes that are not UTF-8 at all.
const std::vector<std::string> k_awkward_text = {
    "",         "shell",      "say \"hi\"",     "C:\\temp",    "tab\there",           "line\nbreak",
    "\x01\x1f", "del\x7f",    "caf\xc3\xa9",    "caf\xe9",     "\xf0\x9f\x92\xa9 ok", "\xed\xa0\x80 surrogate",
    "a/b</c>",  "100% {x:1}", "\xc3 truncated", "\xff\xfe\xfd"};

const std::vector<double> k_numbers = {
    0.0, 1.0, 0.001, 0.5, 1.5, 123456.789, 1e-7, 1e21, 0.30000000000000004, 2e300, 1e-300, 9007199254740993.0,
    0.1, 42.0};

TEST(RecordRowText, ExecutionMetadataIsWrittenAsNlohmannWritesIt) {
  for (const auto& backend : k_awkward_text) {
    ExecutionMetadata m;
    m.backend_used = backend;
    EXPECT_EQ(execution_metadata_text(m), json_text(to_json(m))) << backend;
    m.exit_code = -1;
    m.execution_time = Micros{1500};
    m.output_size = std::numeric_limits<std::uint64_t>::max();
    m.generation_time = Micros{123'456'789};
    m.validation_time = Micros{3};
    EXPECT_EQ(execution_metadata_text(m), json_text(to_json(m))) << backend;
  }
}

TEST(RecordRowText, SafetyMetadataAndTagsAreWrittenAsNlohmannWritesThem) {
  for (double score : k_numbers) {
    for (RiskLevel level : {RiskLevel::safe, RiskLevel::moderate, RiskLevel::high, RiskLevel::critical}) {
      const SafetyMetadata m{level, k_awkward_text, level == RiskLevel::high, score};
      EXPECT_EQ(safety_metadata_text(m), json_text(to_json(m))) << score;
    }
  }
  for (double odd : {std::nan(""), std::numeric_limits<double>::infinity(), -0.0, -2.5}) {
    const SafetyMetadata m{RiskLevel::safe, {}, false, odd};
    EXPECT_EQ(safety_metadata_text(m), json_text(to_json(m))) << odd;
  }
  EXPECT_EQ(tags_text({}), json_text(nlohmann::json(std::vector<std::string>{})));
  EXPECT_EQ(tags_text(k_awkward_text), json_text(nlohmann::json(k_awkward_text)));
}

RC_GTEST_PROP(RecordRowText, AnyMetadataIsWrittenAsNlohmannWritesIt,
              (std::string backend, std::vector<std::string> patterns, std::int64_t micros, double score, int exit)) {
  ExecutionMetadata execution;
  execution.backend_used = backend;
  execution.exit_code = exit;
  execution.execution_time = Micros{micros};
  execution.validation_time = Micros{micros / 7};
  RC_ASSERT(execution_metadata_text(execution) == json_text(to_json(execution)));
  const SafetyMetadata safety{RiskLevel::moderate, patterns, true, score};
  RC_ASSERT(safety_metadata_text(safety) == json_text(to_json(safety)));
  RC_ASSERT(tags_text(patterns) == json_text(nlohmann::json(patterns)));
}

}  // namespace
}  // namespace cmdai::history
