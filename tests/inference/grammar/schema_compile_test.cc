// SPDX-License-Identifier: Apache-2.0
#include "inference/grammar/schema_compile.h"

#include <gtest/gtest.h>

#include "inference/grammar/matcher.h"

namespace vigil::grammar {
namespace {

bool Full(const Grammar& g, std::string_view s) {
  Matcher m(g);
  MatchState st = m.Start();
  return m.Accepts(&st, s) && m.IsComplete(st);
}

TEST(SchemaCompile, ObjectInSchemaOrder) {
  auto g = CompileJsonSchema(R"({"type":"object","properties":{
      "z":{"type":"string","maxLength":3},
      "a":{"type":"integer","minimum":0,"maximum":9},
      "l":{"type":"array","maxItems":2,"items":{"type":"string",
           "enum":["p","q"]},"uniqueItems":true}},
      "required":["z","a","l"],"additionalProperties":false})");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_TRUE(Full(*g, R"({"z":"","a":0,"l":["q","p"]})"));
  EXPECT_FALSE(Full(*g, R"({"a":0,"z":"","l":[]})"));
  EXPECT_FALSE(Full(*g, R"({"z":"abcd","a":0,"l":[]})"));
}

TEST(SchemaCompile, ErrorsNameTheNode) {
  struct Case {
    const char* schema;
    const char* message_part;
  };
  const Case cases[] = {
      {"not json", "does not parse"},
      {R"({"type":"number"})", "not supported"},
      {R"({"type":"string"})", "needs 'maxLength'"},
      {R"({"type":"object","properties":{"a":{"type":"string"}}})",
       "/properties/a: needs 'maxLength'"},
      {R"({"type":"array","items":{"type":"integer","minimum":0,
          "maximum":3}})", "needs 'maxItems'"},
      {R"({"type":"integer","minimum":-1,"maximum":3})", "'minimum'"},
      {R"({"type":"object","properties":{}})", "non-empty 'properties'"},
      {R"({"type":"object","properties":{"a":{"type":"integer","minimum":0,
          "maximum":1}},"additionalProperties":true})", "additionalProperties"},
      {R"({"type":"array","maxItems":2,"uniqueItems":true,
          "items":{"type":"string","maxLength":4}})", "uniqueItems"},
      {R"({"type":"string","enum":[]})", "enum"},
      {R"({"type":"string","enum":["a\"b"]})", "escaping"},
  };
  for (const Case& c : cases) {
    auto g = CompileJsonSchema(c.schema);
    ASSERT_FALSE(g.ok()) << c.schema;
    EXPECT_EQ(g.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(g.status().message().find(c.message_part), std::string::npos)
        << g.status().message();
  }
}

}  // namespace
}  // namespace vigil::grammar
