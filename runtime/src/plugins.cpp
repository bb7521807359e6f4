// Hook plugins named by the user: PL_PLUGINS=./a.so:/abs/b.so
//
// Loaded when libpl itself is loaded, before main(), so their hooks are in
// place for the first loop. Only the paths given are opened (a bare name is
// taken relative to the current directory, never searched for). A plugin
// built against another contract version, a missing file, or an init that
// throws gives one message and the run goes on without that plugin.
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include <pl/pl.h>

namespace pl::detail {
namespace {

void load_plugin(std::string path) {
  if (path.find('/') == std::string::npos) path = "./" + path;
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    std::fprintf(stderr, "pl: cannot load plugin '%s': %s; continuing without it\n",
                 path.c_str(), dlerror());
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

struct PluginLoader {
  PluginLoader() {
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

const PluginLoader loader;

}  // namespace
}  // namespace pl::detail
