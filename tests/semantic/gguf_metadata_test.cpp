#include "semantic/gguf_metadata.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.h"

namespace cmdai::semantic {
namespace {

// A GGUF header written byte by byte (little-endian, as GGUF is on x86).
class Header {
 public:
  explicit Header(std::uint64_t keys, std::uint32_t version = 3) {
    m_bytes = "GGUF";
    put(version);
    put(std::uint64_t{0});  // tensors
    put(keys);
  }
  Header& text(const std::string& key, const std::string& value) {
    string(key);
    put(std::uint32_t{8});
    string(value);
    return *this;
  }
  Header& u32(const std::string& key, std::uint32_t value) {
    string(key);
    put(std::uint32_t{4});
    put(value);
    return *this;
  }
  Header& f32(const std::string& key, float value) {
    string(key);
    put(std::uint32_t{6});
    put(value);
    return *this;
  }
  Header& texts(const std::string& key, std::uint64_t count) {
    string(key);
    put(std::uint32_t{9});
    put(std::uint32_t{8});
    put(count);
    for (std::uint64_t i = 0; i < count; ++i) string("token" + std::to_string(i));
    return *this;
  }
  Header& numbers(const std::string& key, std::uint64_t count) {
    string(key);
    put(std::uint32_t{9});
    put(std::uint32_t{5});
    put(count);
    for (std::uint64_t i = 0; i < count; ++i) put(static_cast<std::int32_t>(i));
    return *this;
  }
  const std::string& bytes() const { return m_bytes; }

 private:
  template <typename T>
  void put(T value) {
    m_bytes.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  void string(const std::string& s) {
    put(static_cast<std::uint64_t>(s.size()));
    m_bytes += s;
  }
  std::string m_bytes;
};

class GgufMetadata : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& bytes) {
    const auto path = m_dir / "model.gguf";
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  cmdai::testing::TempDir m_dir;
};

TEST_F(GgufMetadata, ReadsTheWantedKeysAndSkipsEverythingElse) {
  Header header(6);
  header.text("general.architecture", "bert")
      .texts("tokenizer.ggml.tokens", 70'000)
      .numbers("tokenizer.ggml.token_type", 70'000)
      .f32("bert.attention.layer_norm_epsilon", 1e-12F)
      .u32("bert.embedding_length", 384)
      .text("general.name", "tiny");
  auto found = read_gguf_metadata(write(header.bytes()), {"general.architecture", "bert.embedding_length",
                                                          "bert.attention.layer_norm_epsilon", "bert.block_count"});
  ASSERT_TRUE(found.has_value()) << found.error().describe();
  EXPECT_EQ(std::get<std::string>(found->at("general.architecture")), "bert");
  EXPECT_EQ(std::get<std::uint64_t>(found->at("bert.embedding_length")), 384u);
  EXPECT_TRUE(std::holds_alternative<GgufOther>(found->at("bert.attention.layer_norm_epsilon")));
  EXPECT_FALSE(found->contains("bert.block_count"));
  EXPECT_FALSE(found->contains("general.name")) << "only what was asked for";
}

TEST_F(GgufMetadata, AHeaderCutAnywhereIsAnErrorNotACrash) {
  Header header(4);
  header.text("general.architecture", "bert").u32("bert.x", 1).texts("tokenizer.ggml.tokens", 3).numbers("n", 3);
  const std::string& bytes = header.bytes();
  ASSERT_TRUE(read_gguf_metadata(write(bytes), {"bert.x"}).has_value());
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    auto found = read_gguf_metadata(write(bytes.substr(0, cut)), {"bert.x"});
    ASSERT_FALSE(found.has_value()) << "cut at " << cut;
    EXPECT_EQ(found.error().code, ErrorCode::unavailable);
  }
}

TEST_F(GgufMetadata, OtherFilesAndImpossibleSizesAreRefused) {
  EXPECT_FALSE(read_gguf_metadata(m_dir / "missing.gguf", {}).has_value());
  EXPECT_FALSE(read_gguf_metadata(write("not a model at all, just text"), {}).has_value());
  EXPECT_FALSE(read_gguf_metadata(write(Header(0, 1).bytes()), {}).has_value()) << "version 1";
  EXPECT_TRUE(read_gguf_metadata(write(Header(0, 2).bytes()), {}).has_value());
  std::string huge = Header(1).bytes();
  const std::uint64_t size = std::uint64_t{1} << 62;
  huge.append(reinterpret_cast<const char*>(&size), sizeof size);
  EXPECT_FALSE(read_gguf_metadata(write(huge), {"k"}).has_value()) << "a key longer than the file";
}

}  // namespace
}  // namespace cmdai::semantic
