// SPDX-License-Identifier: Apache-2.0
// Flag parsing, config selection and help texts for the `vigil` binary.
#include "app/cli.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>

#include "app/config/load.h"
#include "common/log.h"

#ifndef VIGIL_VERSION
#define VIGIL_VERSION "0.0.0"
#endif

namespace vigil::app {
namespace {

// Returns the value of "--name value" / "--name=value" or an error.
Result<std::string> FlagValue(const std::vector<std::string>& args, size_t* i,
                              const std::string& name) {
  const std::string& a = args[*i];
  if (a.size() > name.size() && a[name.size()] == '=') {
    return a.substr(name.size() + 1);
  }
  if (*i + 1 >= args.size()) {
    return InvalidArgument(name + " needs a value");
  }
  return args[++*i];
}

const std::map<std::string, std::string>& HelpTexts() {
  static const std::map<std::string, std::string> texts = {
      {"serve",
       "usage: vigil serve [--config FILE] [--data DIR]\n"
       "Runs the appliance: opens the snapshot store, starts every camera's\n"
       "schedule, applies retention, and serves the web gallery (default\n"
       "http://127.0.0.1:8080). Stops cleanly on SIGINT/SIGTERM.\n"
       "Without a config file it uses the embedded defaults: data under\n"
       "./data, one demo camera, and a first-run password printed once.\n"},
      {"snap",
       "usage: vigil snap CAMERA [--config FILE] [--data DIR]\n"
       "Captures one snapshot from CAMERA now and stores it. Needs the data\n"
       "dir for itself: while `vigil serve` runs, use the web UI's \"snap\n"
       "now\" or POST /api/cameras/CAMERA/snap instead.\n"},
      {"cameras",
       "usage: vigil cameras [--config FILE] [--data DIR]\n"
       "Lists the configured cameras (kind, schedule, source) and, when the\n"
       "data dir is free, how many snapshots and bytes each has stored.\n"},
      {"reindex",
       "usage: vigil reindex [--config FILE] [--data DIR]\n"
       "Rebuilds the SQLite index from the dated snapshot folders (the\n"
       "folders are the truth). Run it with `vigil serve` stopped.\n"},
      {"passwd",
       "usage: vigil passwd [--stdin]\n"
       "Reads a password (twice, without echo; one line with --stdin) and\n"
       "prints its hash for `web: password_hash:` in the config file.\n"},
      {"check",
       "usage: vigil check [--config FILE]\n"
       "Loads and validates the config file and prints a summary; exits 2\n"
       "with the file, line and key of the first problem.\n"},
      {"generate",
       "usage: vigil generate --model FILE.gguf [options] PROMPT\n"
       "Runs the on-device Gemma 4 text model (see `vigil generate --help`).\n"},
      {"model",
       "usage: vigil model info FILE.gguf | vigil model pull e2b|e4b\n"
       "Describes a GGUF model file (see `vigil model info --help`) or\n"
       "downloads one (see `vigil model pull --help`).\n"},
  };
  return texts;
}

}  // namespace

Result<CommonFlags> ParseCommonFlags(const std::vector<std::string>& args,
                                     bool allow_extra) {
  CommonFlags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help") {
      flags.help = true;
    } else if (a == "--config" || a.rfind("--config=", 0) == 0) {
      VIGIL_ASSIGN_OR_RETURN(flags.config_path, FlagValue(args, &i, "--config"));
    } else if (a == "--data" || a.rfind("--data=", 0) == 0) {
      VIGIL_ASSIGN_OR_RETURN(flags.data_dir, FlagValue(args, &i, "--data"));
    } else if (a.size() > 1 && a[0] == '-') {
      if (!allow_extra) return InvalidArgument("unknown option '" + a + "'");
      flags.extra.push_back(a);
    } else {
      flags.positional.push_back(a);
    }
  }
  return flags;
}

Result<AppConfig> LoadForCommand(const CommonFlags& flags) {
  std::optional<std::string> path = flags.config_path;
  if (!path) path = ProcessEnv("VIGIL_CONFIG");
  AppConfig config;
  if (path && !path->empty()) {
    VIGIL_ASSIGN_OR_RETURN(config, LoadConfigFile(*path));
  } else {
    config = DefaultConfig();
    config.storage.data_dir = std::filesystem::absolute("data");
  }
  if (flags.data_dir) {
    config.storage.data_dir = std::filesystem::absolute(*flags.data_dir);
  }
  log::SetLevel(config.logging.level);
  return config;
}

int Fail(int code, const std::string& message) {
  std::cerr << "vigil: " << log::Redact(message) << "\n";
  return code;
}

std::string UsageText() {
  return "usage: vigil <command> [options]\n"
         "\n"
         "Home-camera appliance: snapshots from your cameras into dated\n"
         "folders with a SQLite index, a local web gallery, and on-device\n"
         "Gemma 4.\n"
         "\n"
         "commands:\n"
         "  serve            run the appliance (cameras, store, web gallery)\n"
         "  snap CAMERA      capture one snapshot now\n"
         "  cameras          list configured cameras and stored counts\n"
         "  reindex          rebuild the index from the snapshot folders\n"
         "  passwd           print a password hash for the config file\n"
         "  check            validate the config file\n"
         "  generate         run the Gemma 4 text model on a prompt\n"
         "  model info FILE  describe a GGUF model file\n"
         "  model pull e2b   download a Gemma 4 model (+ mmproj) from the hub\n"
         "  help [COMMAND]   show help for a command\n"
         "\n"
         "common options: --config FILE (default $VIGIL_CONFIG, else the\n"
         "embedded defaults), --data DIR (overrides storage.data_dir),\n"
         "--help, --version\n"
         "exit codes: 0 ok, 1 the command failed, 2 bad usage or config\n";
}

std::string CommandHelp(const std::string& command) {
  auto it = HelpTexts().find(command);
  return it == HelpTexts().end() ? "" : it->second;
}

std::string VersionText() { return std::string("vigil ") + VIGIL_VERSION; }

}  // namespace vigil::app
