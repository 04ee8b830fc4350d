// SPDX-License-Identifier: Apache-2.0
#include "analysis/job_queue.h"

#include <gtest/gtest.h>

#include <thread>

namespace vigil::analysis {
namespace {

Job MakeJob(Trigger t, int64_t id, std::string cam) {
  Job j;
  j.trigger = t;
  j.snapshot_id = id;
  j.camera = std::move(cam);
  return j;
}

TEST(JobQueue, OnDemandThenMotionThenPeriodic) {
  JobQueue q(10);
  ASSERT_TRUE(q.Push(MakeJob(Trigger::kPeriodic, 1, "a")));
  ASSERT_TRUE(q.Push(MakeJob(Trigger::kMotion, 2, "b")));
  ASSERT_TRUE(q.Push(MakeJob(Trigger::kOnDemand, 3, "c")));
  ASSERT_TRUE(q.Push(MakeJob(Trigger::kMotion, 4, "c")));
  EXPECT_EQ(q.Pop()->snapshot_id, 3);
  EXPECT_EQ(q.Pop()->snapshot_id, 2);
  EXPECT_EQ(q.Pop()->snapshot_id, 4);
  EXPECT_EQ(q.Pop()->snapshot_id, 1);
  EXPECT_FALSE(q.Idle());  // four in flight
  for (int i = 0; i < 4; ++i) q.Finish();
  EXPECT_TRUE(q.Idle());
}

TEST(JobQueue, NewerFrameOfACameraReplacesTheQueuedOne) {
  JobQueue q(10);
  ASSERT_TRUE(q.Push(MakeJob(Trigger::kMotion, 1, "porch")));
  ASSERT_TRUE(q.Push(MakeJob(Trigger::kMotion, 2, "porch")));
  ASSERT_TRUE(q.Push(MakeJob(Trigger::kOnDemand, 5, "porch")));
  ASSERT_TRUE(q.Push(MakeJob(Trigger::kOnDemand, 5, "porch")));  // dup
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.Pop()->snapshot_id, 5);
  EXPECT_EQ(q.Pop()->snapshot_id, 2);
}

TEST(JobQueue, FullQueueEvictsLessUrgentWork) {
  JobQueue q(2);
  ASSERT_TRUE(q.Push(MakeJob(Trigger::kPeriodic, 1, "a")));
  ASSERT_TRUE(q.Push(MakeJob(Trigger::kPeriodic, 2, "b")));
  EXPECT_FALSE(q.Push(MakeJob(Trigger::kPeriodic, 3, "c")));  // no room
  EXPECT_TRUE(q.Push(MakeJob(Trigger::kMotion, 4, "d")));     // evicts 1
  EXPECT_EQ(q.dropped(), 2);
  EXPECT_EQ(q.Pop()->snapshot_id, 4);
  EXPECT_EQ(q.Pop()->snapshot_id, 2);
}

TEST(JobQueue, CloseWakesAWaitingPop) {
  JobQueue q(2);
  std::thread t([&] { EXPECT_FALSE(q.Pop().has_value()); });
  q.Close();
  t.join();
  EXPECT_FALSE(q.Push(MakeJob(Trigger::kMotion, 1, "a")));
}

}  // namespace
}  // namespace vigil::analysis
