// SPDX-License-Identifier: Apache-2.0
// Invariant checks for programmer bugs: abort with file:line (like HWY_ASSERT).
// Never use these for bad input; return a Status instead (STYLE.md §5.4).
#pragma once

namespace vigil {
[[noreturn]] void CheckFailed(const char* expr, const char* file, int line);
}  // namespace vigil

#define VIGIL_CHECK(cond)                                  \
  do {                                                     \
    if (!(cond)) ::vigil::CheckFailed(#cond, __FILE__, __LINE__); \
  } while (0)

#ifdef NDEBUG
#define VIGIL_DCHECK(cond) \
  do {                     \
  } while (0)
#else
#define VIGIL_DCHECK(cond) VIGIL_CHECK(cond)
#endif
