// What happens when libpl is loaded, before main(): hooks from outside the
// program are attached, in this order —
//   PL_CONFIG=hooks.conf   a file in the hook language (see config.h)
//   PL_HOOKS='...'         the same language inline, entries separated by ';'
//   PL_PLUGINS=./a.so:b.so hook plugins (PL_PLUGIN entry point)
// A configuration error is reported with file:line:column; the run goes on
// without that configuration, or exits with status 2 when PL_STRICT=1.
// Plugins: only the paths given are opened (a bare name is taken relative
// to the current directory, never searched for); a missing file, a library
// that is no plugin, or one built against another contract version is
// reported and skipped. At exit, asynchronous hooks drain and the built-ins
// flush their files.
#include <dlfcn.h>
#include <pl/pl.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <sstream>
#include <string>

#include "checkpoint.h"
#include "config.h"

namespace pl::detail {
namespace {

void load_plugin(std::string path) {
  if (path.find('/') == std::string::npos) path = "./" + path;
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    std::fprintf(stderr, "pl: cannot load plugin '%s': %s; continuing without it\n", path.c_str(),
                 dlerror());
    return;
  }
  auto* version = static_cast<const std::uint32_t*>(dlsym(handle, "pl_plugin_contract_version"));
  auto init = reinterpret_cast<void (*)()>(dlsym(handle, "pl_plugin_init"));
  if (!version || !init) {
    std::fprintf(stderr,
                 "pl: '%s' is not a pl plugin (no PL_PLUGIN(...) entry point); not loaded\n",
                 path.c_str());
    dlclose(handle);
    return;
  }
  if (*version != abi::kContractVersion) {
    std::fprintf(stderr,
                 "pl: plugin '%s' was built against contract version %u, this runtime speaks "
                 "%u; rebuild the plugin against this pl. Not loaded\n",
                 path.c_str(), *version, abi::kContractVersion);
    dlclose(handle);
    return;
  }
  try {
    init();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pl: plugin '%s' failed to initialize: %s\n", path.c_str(), e.what());
  }
}

void apply_or_report(const std::string& text, const std::string& source, char separator) {
  try {
    apply_config(text, source, separator);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pl: error: %s\n", e.what());
    if (strict_mode()) {
      std::fprintf(stderr, "pl: PL_STRICT is set: not starting with a broken hook configuration\n");
      std::_Exit(2);
    }
    std::fprintf(stderr,
                 "pl: continuing without the hooks of %s (set PL_STRICT=1 to stop "
                 "instead)\n",
                 source.c_str());
  }
}

void load_configuration() {
  if (const char* path = std::getenv("PL_CONFIG")) {
    std::ifstream in(path);
    if (!in) {
      std::fprintf(stderr, "pl: error: PL_CONFIG='%s' cannot be read\n", path);
      if (strict_mode()) std::_Exit(2);
    } else {
      std::stringstream text;
      text << in.rdbuf();
      apply_or_report(text.str(), path, '\n');
    }
  }
  if (const char* inline_hooks = std::getenv("PL_HOOKS"))
    apply_or_report(inline_hooks, "PL_HOOKS", ';');
}

struct Startup {
  Startup() {
    load_configuration();
    checkpoint_after_config();
    std::atexit([] {
      run_exit_handlers();
      exit_if_strict_failure();
    });
    const char* list = std::getenv("PL_PLUGINS");
    if (!list) return;
    std::string all(list);
    std::size_t start = 0;
    while (start <= all.size()) {
      std::size_t end = all.find(':', start);
      if (end == std::string::npos) end = all.size();
      if (end > start) load_plugin(all.substr(start, end - start));
      start = end + 1;
    }
  }
};

const Startup startup;

}  // namespace
}  // namespace pl::detail
