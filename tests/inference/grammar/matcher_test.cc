// SPDX-License-Identifier: Apache-2.0
#include "inference/grammar/matcher.h"

#include <gtest/gtest.h>

#include <random>

namespace vigil::grammar {
namespace {

Grammar Sample() {
  GrammarBuilder b;
  b.Literal("{\"a\":").String(1, 5).Literal(",\"k\":");
  b.Enum({"cat", "car", "dog"}).Literal(",\"n\":").Int(1, 20);
  b.Literal(",\"f\":").OpenArray(0, 3).Enum({"x", "y", "z"}, true);
  b.CloseArray().Literal("}");
  return b.Build();
}

bool Full(const Grammar& g, std::string_view s) {
  Matcher m(g);
  MatchState st = m.Start();
  return m.Accepts(&st, s) && m.IsComplete(st);
}

TEST(Matcher, AcceptsValidDocuments) {
  const Grammar g = Sample();
  EXPECT_TRUE(Full(g, R"({"a":"hi","k":"cat","n":7,"f":[]})"));
  EXPECT_TRUE(Full(g, R"({"a":"hello","k":"dog","n":20,"f":["z","x"]})"));
  EXPECT_TRUE(Full(g, R"({"a":"é","k":"car","n":1,"f":["x","y","z"]})"));
}

TEST(Matcher, RefusesInvalidDocuments) {
  const Grammar g = Sample();
  EXPECT_FALSE(Full(g, R"({"a":"","k":"cat","n":7,"f":[]})"));  // min 1
  EXPECT_FALSE(Full(g, R"({"a":"toolong","k":"cat","n":7,"f":[]})"));
  EXPECT_FALSE(Full(g, R"({"a":"hi","k":"cow","n":7,"f":[]})"));
  EXPECT_FALSE(Full(g, R"({"a":"hi","k":"ca","n":7,"f":[]})"));
  EXPECT_FALSE(Full(g, R"({"a":"hi","k":"cat","n":21,"f":[]})"));
  EXPECT_FALSE(Full(g, R"({"a":"hi","k":"cat","n":0,"f":[]})"));
  EXPECT_FALSE(Full(g, R"({"a":"hi","k":"cat","n":07,"f":[]})"));
  EXPECT_FALSE(Full(g, R"({"a":"hi","k":"cat","n":7,"f":["x","x"]})"));
  EXPECT_FALSE(Full(g, R"({"a":"hi","k":"cat","n":7,"f":["w"]})"));
  EXPECT_FALSE(Full(g, R"({"a":"h\"","k":"cat","n":7,"f":[]})"));
  EXPECT_FALSE(Full(g, "{\"a\":\"h\n\",\"k\":\"cat\",\"n\":7,\"f\":[]}"));
  EXPECT_FALSE(Full(g, R"({"a":"hi","k":"cat","n":7,"f":[]} )"));
  EXPECT_FALSE(Full(g, R"({"a":"hi","k":"cat","n":7,"f":[])"));  // open
}

TEST(Matcher, RefusesBrokenUtf8) {
  const Grammar g = Sample();
  EXPECT_FALSE(Full(g, "{\"a\":\"\xC3\",\"k\":\"cat\",\"n\":7,\"f\":[]}"));
  EXPECT_FALSE(Full(g, "{\"a\":\"\xC0\x80\",\"k\":\"cat\",\"n\":7,\"f\":[]}"));
  EXPECT_FALSE(Full(g, "{\"a\":\"\xED\xA0\x80\",\"k\":\"cat\",\"n\":7,"
                       "\"f\":[]}"));  // surrogate
  EXPECT_FALSE(Full(g, "{\"a\":\"\xE2\x82\",\"k\":\"cat\",\"n\":7,\"f\":[]}"));
}

TEST(Matcher, ForcedSpansAreKeysAndEnumTails) {
  const Grammar g = Sample();
  Matcher m(g);
  MatchState s = m.Start();
  EXPECT_EQ(m.TakeForced(&s), "{\"a\":\"");
  ASSERT_TRUE(m.Accepts(&s, "ab\""));
  EXPECT_EQ(m.TakeForced(&s), ",\"k\":\"");
  ASSERT_TRUE(m.Accepts(&s, "d"));
  EXPECT_EQ(m.TakeForced(&s), "og\",\"n\":");
  ASSERT_TRUE(m.Accepts(&s, "3,"));
  EXPECT_EQ(m.TakeForced(&s), "\"f\":[");
  EXPECT_FALSE(m.IsComplete(s));
}

TEST(Matcher, CompletionFinishesFromAnyPrefix) {
  const Grammar g = Sample();
  Matcher m(g);
  const std::string doc = R"({"a":"hé!","k":"car","n":12,"f":["y","x"]})";
  for (size_t cut = 0; cut <= doc.size(); ++cut) {
    MatchState s = m.Start();
    ASSERT_TRUE(m.Accepts(&s, doc.substr(0, cut))) << cut;
    const std::string rest = m.TakeCompletion(&s);
    EXPECT_TRUE(m.IsComplete(s));
    EXPECT_TRUE(Full(g, doc.substr(0, cut) + rest)) << doc.substr(0, cut) + rest;
  }
}

// Random walks over allowed bytes always reach a complete document, and a
// document the matcher completes is one it accepts from the start.
TEST(Matcher, RandomWalksNeverDeadEnd) {
  const Grammar g = Sample();
  Matcher m(g);
  std::mt19937 rng(7);
  for (int run = 0; run < 300; ++run) {
    MatchState s = m.Start();
    std::string doc;
    for (int step = 0; step < 200 && !m.IsComplete(s); ++step) {
      const auto allowed = m.AllowedBytes(s);
      ASSERT_GT(allowed.count(), 0u) << doc;
      int pick = int(rng() % allowed.count());
      int c = 0;
      for (;; ++c) {
        if (allowed.test(size_t(c)) && pick-- == 0) break;
      }
      ASSERT_TRUE(m.Step(&s, uint8_t(c)));
      doc.push_back(char(c));
    }
    doc += m.TakeCompletion(&s);
    EXPECT_TRUE(Full(g, doc)) << doc;
  }
}

TEST(Matcher, IntRangeNeedsReachableValues) {
  GrammarBuilder b;
  const Grammar g = b.Literal("[").Int(50, 60).Literal("]").Build();
  EXPECT_TRUE(Full(g, "[55]"));
  EXPECT_FALSE(Full(g, "[5]"));
  Matcher m(g);
  MatchState s = m.Start();
  ASSERT_TRUE(m.Accepts(&s, "["));
  const auto allowed = m.AllowedBytes(s);
  EXPECT_TRUE(allowed.test('5'));
  EXPECT_TRUE(allowed.test('6'));
  EXPECT_FALSE(allowed.test('1'));  // 1x is never in [50, 60]
}

}  // namespace
}  // namespace vigil::grammar
