// SPDX-License-Identifier: Apache-2.0
// Child-process control for the integration tests.
#include "tests/app/vigil_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace vigil::testing {

std::filesystem::path VigilBinary() {
  return std::filesystem::path(VIGIL_BINARY_DIR) / "app" / "vigil";
}

std::filesystem::path MakeTempDir(const std::string& name) {
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() /
             ("vigil_" + name + "_" + std::to_string(getpid()) + "_" +
              std::to_string(rd() % 100000));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

VigilProcess::VigilProcess(const std::vector<std::string>& args,
                           const std::filesystem::path& work_dir,
                           const std::map<std::string, std::string>& env,
                           const std::string& tag,
                           const std::string& stdin_text) {
  out_ = work_dir / (tag + ".out");
  err_ = work_dir / (tag + ".err");
  std::string in_path = (work_dir / (tag + ".in")).string();
  std::ofstream(in_path) << stdin_text;
  std::string bin = VigilBinary().string();
  pid_ = fork();
  if (pid_ == 0) {
    chdir(work_dir.c_str());
    int in = open(in_path.c_str(), O_RDONLY);
    int out = open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
}

VigilProcess::~VigilProcess() {
  if (pid_ > 0 && !exit_code_) Signal(SIGKILL, std::chrono::seconds(10));
}

std::optional<int> VigilProcess::Wait(std::chrono::milliseconds timeout) {
  if (exit_code_) return exit_code_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status)
                                     : 128 + WTERMSIG(status);
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::optional<int> VigilProcess::Signal(int sig,
                                        std::chrono::milliseconds timeout) {
  if (!exit_code_) kill(pid_, sig);
  return Wait(timeout);
}

std::string VigilProcess::Stdout() const { return ReadFile(out_); }
std::string VigilProcess::Stderr() const { return ReadFile(err_); }

std::optional<std::string> VigilProcess::WaitForLog(
    const std::regex& re, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string text = Stderr();
    std::smatch m;
    if (std::regex_search(text, m, re)) {
      return m.size() > 1 ? m[1].str() : m[0].str();
    }
    if (Wait(std::chrono::milliseconds(0))) break;  // exited
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return std::nullopt;
}

RunResult RunVigil(const std::vector<std::string>& args,
                   const std::filesystem::path& work_dir,
                   const std::map<std::string, std::string>& env,
                   const std::string& stdin_text) {
  VigilProcess p(args, work_dir, env, "run", stdin_text);
  RunResult r;
  std::optional<int> code = p.Wait(std::chrono::seconds(30));
  r.exit_code = code ? *code : -1;
  r.out = p.Stdout();
  r.err = p.Stderr();
  return r;
}

}  // namespace vigil::testing
