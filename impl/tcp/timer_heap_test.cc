#include "impl/tcp/timer_heap.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>

namespace tcpref::tcp {
namespace {

using T = TimerHeap::Time;

TEST(TimerHeap, PopsInDeadlineOrderOnlyWhenDue) {
  TimerHeap heap(4);
  heap.schedule(0, T{30});
  heap.schedule(1, T{10});
  heap.schedule(2, T{20});
  EXPECT_EQ(heap.next(), T{10});
  EXPECT_EQ(heap.pop_due(T{9}), std::nullopt);
  EXPECT_EQ(heap.pop_due(T{25}), 1u);
  EXPECT_EQ(heap.pop_due(T{25}), 2u);
  EXPECT_EQ(heap.pop_due(T{25}), std::nullopt);
  heap.schedule(0, T{5});  // moving an existing deadline earlier
  EXPECT_EQ(heap.pop_due(T{5}), 0u);
  EXPECT_EQ(heap.next(), std::nullopt);
}

// Against a reference map: any sequence of schedule/cancel/pop keeps the
// heap's earliest deadline and membership right.
RC_GTEST_PROP(TimerHeap, MatchesReferenceModel, ()) {
  constexpr uint32_t kIds = 16;
  TimerHeap heap(kIds);
  std::map<uint32_t, int64_t> model;
  const auto ops =
      *rc::gen::container<std::vector<std::tuple<int, uint32_t, int64_t>>>(
          rc::gen::tuple(rc::gen::inRange(0, 3),
                         rc::gen::inRange<uint32_t>(0, kIds),
                         rc::gen::inRange<int64_t>(0, 1000)));
  for (const auto& [op, id, t] : ops) {
    if (op == 0) {
      heap.schedule(id, T{t});
      model[id] = t;
    } else if (op == 1) {
      heap.cancel(id);
      model.erase(id);
    } else {
      const auto popped = heap.pop_due(T{t});
      auto earliest = std::min_element(
          model.begin(), model.end(),
          [](auto& a, auto& b) { return a.second < b.second; });
      if (earliest == model.end() || earliest->second > t) {
        RC_ASSERT(!popped.has_value());
      } else {
        RC_ASSERT(popped.has_value());
        RC_ASSERT(model.at(*popped) == earliest->second);
        model.erase(*popped);
      }
    }
    for (uint32_t i = 0; i < kIds; ++i) {
      RC_ASSERT(heap.scheduled(i) == (model.count(i) == 1));
    }
  }
}

}  // namespace
}  // namespace tcpref::tcp
