#include "history/chunk_queue.h"

#include <gtest/gtest.h>

#include <string>

namespace cmdai::history {
namespace {

TEST(ChunkQueue, TryPushTakesTheChunkOnlyWhenThereIsRoom) {
  ChunkQueue<std::string> queue(2);
  std::string first = "first";
  std::string second = "second";
  std::string third = "third";
  EXPECT_TRUE(queue.try_push(std::move(first)));
  EXPECT_TRUE(queue.try_push(std::move(second)));
  EXPECT_FALSE(queue.try_push(std::move(third)));
  EXPECT_EQ(third, "third");  // left with the caller
  EXPECT_EQ(queue.try_pop(), "first");
  EXPECT_TRUE(queue.try_push(std::move(third)));
  EXPECT_EQ(queue.try_pop(), "second");
  EXPECT_EQ(queue.try_pop(), "third");
  EXPECT_EQ(queue.try_pop(), std::nullopt);
}

TEST(ChunkQueue, TryPopSharesTheQueueWithPushAndPop) {
  ChunkQueue<std::string> queue(4);
  std::stop_source stop;
  ASSERT_TRUE(queue.push("a", stop.get_token()));
  ASSERT_TRUE(queue.push("b", stop.get_token()));
  EXPECT_EQ(queue.try_pop(), "a");
  queue.close();
  EXPECT_EQ(queue.pop(), "b");
  EXPECT_EQ(queue.pop(), std::nullopt);
  EXPECT_EQ(queue.try_pop(), std::nullopt);
}

}  // namespace
}  // namespace cmdai::history
