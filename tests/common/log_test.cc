// SPDX-License-Identifier: Apache-2.0
#include "common/log.h"

#include <gtest/gtest.h>

namespace vigil::log {
namespace {

TEST(LogTest, RedactsRegisteredSecrets) {
  RegisterSecret("hunter22");
  EXPECT_EQ(Redact("http://admin:hunter22@cam/x?p=hunter22"),
            "http://admin:***@cam/x?p=***");
  EXPECT_EQ(Redact("nothing here"), "nothing here");
}

TEST(LogTest, IgnoresTooShortSecrets) {
  RegisterSecret("ab");
  EXPECT_EQ(Redact("abc"), "abc");
}

}  // namespace
}  // namespace vigil::log
