// SPDX-License-Identifier: Apache-2.0
// Runs the real `vigil` binary from the build dir as a child process, with
// stdout/stderr captured to files, for the integration tests.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace vigil::testing {

// Returns the path of the built `vigil` binary.
std::filesystem::path VigilBinary();

// Thread-compatible. Kills the child (SIGKILL) on destruction if still alive.
class VigilProcess {
 public:
  // Starts `vigil args...` in `work_dir` with `env` added to the
  // environment; output goes to `<work_dir>/<tag>.out|.err`.
  VigilProcess(const std::vector<std::string>& args,
               const std::filesystem::path& work_dir,
               const std::map<std::string, std::string>& env = {},
               const std::string& tag = "vigil", const std::string& stdin_text = "");
  ~VigilProcess();

  pid_t pid() const { return pid_; }
  // Sends `sig`; returns the exit code (or 128 + signal) after waiting at
  // most `timeout`, or nullopt if it is still running.
  std::optional<int> Signal(int sig, std::chrono::milliseconds timeout);
  // Waits for exit (nullopt on timeout).
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  std::string Stdout() const;
  std::string Stderr() const;
  // Polls stderr until `re` matches; returns its first group (the whole
  // match without groups), or nullopt on timeout or exit.
  std::optional<std::string> WaitForLog(const std::regex& re,
                                        std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path out_, err_;
};

// Runs `vigil args...` to completion (30 s max); returns exit code and
// output.
struct RunResult {
  int exit_code = -1;
  std::string out, err;
};
RunResult RunVigil(const std::vector<std::string>& args,
                   const std::filesystem::path& work_dir,
                   const std::map<std::string, std::string>& env = {},
                   const std::string& stdin_text = "");

// Returns a fresh, empty directory under the system temp dir.
std::filesystem::path MakeTempDir(const std::string& name);
std::string ReadFile(const std::filesystem::path& path);

}  // namespace vigil::testing
