// SPDX-License-Identifier: Apache-2.0
// The report schema, its validation, and the grammar compiled from it:
// every document the grammar can produce passes validation.
#include "analysis/report.h"

#include <gtest/gtest.h>

#include <random>

#include "inference/grammar/matcher.h"
#include "inference/grammar/schema_compile.h"

namespace vigil::analysis {
namespace {

constexpr char kGood[] =
    R"({"scene":"A porch at night.","subjects":[{"kind":"person",)"
    R"("description":"man in a red coat","count":1}],"activity":)"
    R"("He rings the bell.","flags":["person_at_door","night_activity"]})";

TEST(Report, ParsesAndRoundTrips) {
  const ReportLimits limits;
  auto r = ParseReport(kGood, limits);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->scene, "A porch at night.");
  ASSERT_EQ(r->subjects.size(), 1u);
  EXPECT_EQ(r->subjects[0].kind, SubjectKind::kPerson);
  EXPECT_EQ(r->subjects[0].count, 1);
  EXPECT_EQ(r->flags.size(), 2u);
  EXPECT_EQ(ReportToJson(*r), kGood);
  EXPECT_NE(ReportSearchText(*r).find("red coat"), std::string::npos);
}

TEST(Report, ValidationErrorsNameTheField) {
  const ReportLimits limits;
  struct Case {
    const char* json;
    const char* part;
  };
  const Case cases[] = {
      {"", "not valid JSON"},
      {"[]", "must be an object"},
      {R"({"scene":"x","subjects":[],"activity":"y"})", "missing 'flags'"},
      {R"({"scene":"","subjects":[],"activity":"y","flags":[]})", "scene"},
      {R"({"scene":"x","subjects":[],"activity":"y","flags":[],"z":1})",
       "unknown key 'z'"},
      {R"({"scene":"x","subjects":[{"kind":"ghost","description":"d",)"
       R"("count":1}],"activity":"y","flags":[]})", "subjects[0].kind"},
      {R"({"scene":"x","subjects":[{"kind":"animal","description":"d",)"
       R"("count":0}],"activity":"y","flags":[]})", "subjects[0].count"},
      {R"({"scene":"x","subjects":[],"activity":"y","flags":["maybe"]})",
       "not in the flag vocabulary"},
      {R"({"scene":"x","subjects":[],"activity":"y","flags":["animal",)"
       R"("animal"]})", "twice"},
  };
  for (const Case& c : cases) {
    auto r = ParseReport(c.json, limits);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_NE(r.status().message().find(c.part), std::string::npos)
        << r.status().message();
  }
}

TEST(Report, LimitsValidation) {
  ReportLimits l;
  EXPECT_TRUE(Validate(l).ok());
  l.flags = {};
  EXPECT_FALSE(Validate(l).ok());
  l.flags = {"Bad Flag"};
  EXPECT_FALSE(Validate(l).ok());
  l.flags = {"a", "a"};
  EXPECT_FALSE(Validate(l).ok());
  l = {};
  l.max_subjects = 0;
  EXPECT_FALSE(Validate(l).ok());
}

// Random walks through the grammar compiled from the schema: whatever the
// model picks, the result validates, flags come from the configured
// vocabulary, and the grammar refuses what validation refuses.
TEST(Report, EveryGrammarDocumentValidates) {
  ReportLimits limits;
  limits.flags = {"person_at_door", "garage_open", "animal"};
  auto g = grammar::CompileJsonSchema(ReportJsonSchema(limits));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  const grammar::Matcher m(*g);
  std::mt19937 rng(42);
  for (int run = 0; run < 500; ++run) {
    grammar::MatchState s = m.Start();
    std::string doc;
    const int steps = int(rng() % 400);
    for (int i = 0; i < steps && !m.IsComplete(s); ++i) {
      doc += m.TakeForced(&s);
      if (m.IsComplete(s)) break;
      const auto allowed = m.AllowedBytes(s);
      ASSERT_GT(allowed.count(), 0u);
      // Prefer ASCII so strings close now and then.
      int c;
      do {
        c = int(rng() % 256);
      } while (!allowed.test(size_t(c)) || (c >= 0x80 && rng() % 4 != 0));
      ASSERT_TRUE(m.Step(&s, uint8_t(c)));
      doc.push_back(char(c));
    }
    doc += m.TakeCompletion(&s);
    auto r = ParseReport(doc, limits);
    ASSERT_TRUE(r.ok()) << r.status().ToString() << "\n" << doc;
    for (const std::string& f : r->flags) {
      EXPECT_NE(std::find(limits.flags.begin(), limits.flags.end(), f),
                limits.flags.end());
    }
  }
  grammar::MatchState s = m.Start();
  EXPECT_FALSE(m.Accepts(&s, R"({"scene":"x","subjects":[],"activity":"y",)"
                             R"("flags":["fire_or_smoke"]})"));
  s = m.Start();
  EXPECT_TRUE(m.Accepts(&s, R"({"scene":"x","subjects":[],"activity":"y",)"
                            R"("flags":["animal"]})"));
  EXPECT_TRUE(m.IsComplete(s));
}

}  // namespace
}  // namespace vigil::analysis
