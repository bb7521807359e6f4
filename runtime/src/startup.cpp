// What happens when libpl is loaded, before main(): hooks from outside the
// program are attached, in this order —
//   PL_CONFIG=hooks.conf   a file in the hook language (see config.h)
//   PL_HOOKS='...'         the same language inline, entries separated by ';'
//   PL_PLUGINS=./a.so:b.so hook plugins (PL_PLUGIN entry point)
// A configuration error is reported with file:line:column; the run goes on
// without that entry (without the whole file when it configures checkpoints:
// said again at exit), or exits with status 2 when PL_STRICT=1.
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

// A run that was configured to checkpoint but is not must not pass
// unnoticed: said when the configuration is read and again at exit.
void warn_unprotected(const std::string& source, const ConfigReport& r) {
  std::fprintf(stderr,
               "pl: error: %s configures checkpoints and has %zu error(s): NONE of its %zu "
               "entries are applied, so NO CHECKPOINTS are written in this run. Fix the "
               "line(s) above (or set PL_STRICT=1 to stop instead of running unprotected).\n",
               source.c_str(), r.errors.size(), r.entries);
  at_exit([source, first = r.errors.front()] {
    std::fprintf(stderr,
                 "pl: reminder: NO CHECKPOINTS were written in this run: %s configures them but "
                 "was not applied because of its errors (the first: %s)\n",
                 source.c_str(), first.c_str());
  });
}

void apply_or_report(const std::string& text, const std::string& source, char separator) {
  ConfigReport r;
  try {
    r = apply_config_entries(text, source, separator, strict_mode());
  } catch (const std::exception& e) {  // not a configuration problem (out of memory ...)
    r.errors.push_back(e.what());
    r.rejected = true;
  }
  if (r.errors.empty()) return;
  for (const std::string& e : r.errors) std::fprintf(stderr, "pl: error: %s\n", e.c_str());
  if (strict_mode()) {
    std::fprintf(stderr, "pl: PL_STRICT is set: not starting with a broken hook configuration\n");
    std::_Exit(2);
  }
  if (r.configures_checkpoints) {
    warn_unprotected(source, r);
  } else if (r.rejected || r.attached == 0) {
    std::fprintf(stderr,
                 "pl: continuing without the hooks of %s (set PL_STRICT=1 to stop instead)\n",
                 source.c_str());
  } else {
    std::fprintf(stderr,
                 "pl: %s: the %zu entr%s above %s not attached; the other %zu are (set "
                 "PL_STRICT=1 to stop instead)\n",
                 source.c_str(), r.errors.size(), r.errors.size() == 1 ? "y" : "ies",
                 r.errors.size() == 1 ? "is" : "are", r.attached);
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
