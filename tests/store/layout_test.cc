// SPDX-License-Identifier: Apache-2.0
#include "store/layout.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

namespace vigil::store {
namespace {

TEST(LayoutTest, PlainCameraNamesAreKept) {
  EXPECT_EQ(*SafeCameraDir("front_door"), "front_door");
  EXPECT_EQ(*SafeCameraDir("Cam-2"), "Cam-2");
}

TEST(LayoutTest, UnsafeCameraNamesCannotEscapeOrCollide) {
  const std::vector<std::string> names = {"..",
                                          ".",
                                          "../etc",
                                          "a/b",
                                          "a_b",
                                          "a\\b",
                                          "-rf",
                                          "x\n\ty",
                                          "/abs",
                                          "caf\xC3\xA9",
                                          std::string(200, 'z'),
                                          std::string("nul\0x", 5)};
  std::set<std::string> seen;
  for (const std::string& n : names) {
    auto dir = SafeCameraDir(n);
    ASSERT_TRUE(dir.ok()) << n;
    EXPECT_TRUE(seen.insert(*dir).second) << "collision for " << n;
    EXPECT_EQ(dir->find('/'), std::string::npos) << *dir;
    EXPECT_EQ(dir->find(".."), std::string::npos) << *dir;
    EXPECT_NE((*dir)[0], '.');
    EXPECT_NE((*dir)[0], '-');
    EXPECT_LE(dir->size(), 64u);
    for (char c : *dir) EXPECT_GE(static_cast<unsigned char>(c), 0x21);
    EXPECT_EQ(*SafeCameraDir(n), *dir) << "not deterministic";
  }
  EXPECT_EQ(SafeCameraDir("").status().code(), StatusCode::kInvalidArgument);
}

TEST(LayoutTest, FileNamesRoundTrip) {
  const FileTime t{2026, 3, 14, 15, 9, 26};
  EXPECT_EQ(DayFolderName(t), "2026-03-14");
  EXPECT_EQ(SnapshotFileName(t, 0), "150926.jpg");
  EXPECT_EQ(SnapshotFileName(t, 12), "150926-12.jpg");
  auto p = ParseFileName("cam", "2026-03-14", "150926-12.jpg");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->suffix, 12);
  EXPECT_EQ(p->time.hour, 15);
  EXPECT_EQ(p->time.second, 26);
  EXPECT_EQ(p->time.day, 14);
  for (const char* bad :
       {"15092.jpg", "150926.png", "250926.jpg", "150926-0.jpg", "150926-.jpg",
        "150926-01.jpg", "150926x.jpg", ".150926.jpg"}) {
    EXPECT_FALSE(ParseFileName("cam", "2026-03-14", bad)) << bad;
  }
  EXPECT_FALSE(ParseDayFolder("2026-13-01"));
  EXPECT_FALSE(ParseDayFolder("2026-1-01"));
  EXPECT_FALSE(ParseFileName("cam", "..", "150926.jpg"));
}

TEST(LayoutTest, UtcTimesRoundTrip) {
  const int64_t ms = 1773500966535;  // 2026-03-14T15:09:26.535Z
  const FileTime t = ToFileTime(ms, /*utc=*/true);
  EXPECT_EQ(DayFolderName(t), "2026-03-14");
  EXPECT_EQ(SnapshotFileName(t, 0), "150926.jpg");
  EXPECT_EQ(FromFileTime(t, true), ms - 535);
}

TEST(LayoutTest, LocalTimeFollowsTz) {
  const char* old = getenv("TZ");
  const std::string saved = old ? old : "";
  // POSIX rule, no tzdata needed: UTC+1, summer time from the last Sunday of
  // March. 2026-03-14 is winter: 15:09Z is 16:09 local.
  setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
  tzset();
  const FileTime t = ToFileTime(1773500966535, /*utc=*/false);
  EXPECT_EQ(SnapshotFileName(t, 0), "160926.jpg");
  EXPECT_EQ(FromFileTime(t, false), 1773500966000);
  if (old) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

TEST(LayoutTest, RelPathsAreCheckedBeforeUse) {
  EXPECT_EQ(SnapshotRelPath("cam", "2026-03-14", "150926.jpg"),
            "snapshots/cam/2026-03-14/150926.jpg");
  EXPECT_EQ(ThumbRelPath("snapshots/cam/2026-03-14/150926.jpg"),
            "thumbs/cam/2026-03-14/150926.jpg");
  EXPECT_TRUE(IsSafeRelPath("snapshots/cam/2026-03-14/150926.jpg"));
  for (const char* bad :
       {"/etc/passwd", "snapshots/../../etc/passwd", "snapshots//x.jpg",
        "snapshots/./x", "thumbs/a/b.jpg", "snapshots/a/", "snapshots"}) {
    EXPECT_FALSE(IsSafeRelPath(bad)) << bad;
  }
}

}  // namespace
}  // namespace vigil::store
