// pl-instrument — writes instrumented copies of C++ sources.
//
//   pl-instrument -p build/ src/train.cpp -o build/pl/     # compile database
//   pl-instrument src/train.cpp -o out/ -- -std=c++20 -Iinclude
//   pl-instrument -p build/ src/train.cpp --list           # what hooks can see
//
// Sources are never modified. Each output is written to a temporary file
// and renamed into place, so a killed run leaves either the old file or the
// new one, never half of one; a translation unit that does not parse
// produces no output at all.
#include "InstrumentAction.h"
#include "Manifest.h"
#include "Output.h"
#include "Pipeline.h"

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <pl/abi.h>

#include <cstring>

using namespace clang::tooling;
using pl::fail;
using pl::mirrorIncludedFiles;
using pl::writeAtomically;
namespace cl = llvm::cl;

#ifndef PL_CLANG_RESOURCE_DIR
#define PL_CLANG_RESOURCE_DIR ""
#endif
#ifndef PL_VERSION
#define PL_VERSION "?"
#endif

static cl::OptionCategory Category("pl-instrument options");
static cl::list<std::string> Sources(cl::Positional, cl::desc("<source files>"), cl::OneOrMore,
                                     cl::cat(Category));
static cl::opt<std::string> BuildPath("p", cl::desc("Build directory with compile_commands.json"),
                                      cl::value_desc("dir"), cl::cat(Category));
static cl::opt<std::string> OutDir("o", cl::desc("Output directory (mirrors source paths)"),
                                   cl::value_desc("dir"), cl::cat(Category));
static cl::opt<std::string>
    SourceRoot("source-root",
               cl::desc("Outputs mirror paths relative to this directory (default: cwd)"),
               cl::value_desc("dir"), cl::cat(Category));
static cl::opt<bool> List("list", cl::desc("Print every loop, its name and visible locals"),
                          cl::cat(Category));
static cl::opt<std::string> ManifestFile("manifest", cl::desc("Write the loop manifest as JSON"),
                                         cl::value_desc("file"), cl::cat(Category));
static cl::list<std::string>
    Headers("headers",
            cl::desc("Also instrument included headers whose absolute path matches one of "
                     "these globs (comma-separated; ** crosses directories)"),
            cl::value_desc("glob,..."), cl::CommaSeparated, cl::cat(Category));
static cl::opt<std::string>
    ShadowDir("shadow-dir",
              cl::desc("Where instrumented headers go: a mirror of their include directory "
                       "(put <dir>/<include dir> first on the include path)"),
              cl::value_desc("dir"), cl::cat(Category));
static cl::opt<bool>
    Lenient("lenient",
            cl::desc("A header selection that cannot be honoured is a warning, not an error"),
            cl::cat(Category));
static cl::opt<bool> NoVersioning(
    "no-versioning",
    cl::desc("Do not give innermost loops an uninstrumented copy for when nothing listens "
             "(keeps every output line on its original line, at some idle cost)"),
    cl::cat(Category));
static cl::opt<bool> RequireResumable(
    "require-resumable",
    cl::desc("A loop state variable pl cannot save (so the loop cannot be checkpointed) is an "
             "error, also in loops without a label; in a template, an instantiation that gives "
             "one a type pl cannot save does not compile"),
    cl::cat(Category));
static cl::list<std::string> Transient(
    "transient",
    cl::desc("Fields no checkpoint holds, by qualified name (Loader::file_): the replay "
             "rebuilds them, as with PL_TRANSIENT_FIELD(file_) in the class (comma-separated)"),
    cl::value_desc("Class::field,..."), cl::CommaSeparated, cl::cat(Category));
static cl::opt<std::string>
    DepFile("depfile", cl::desc("Write a Makefile-style depfile for the output (one source only)"),
            cl::value_desc("file"), cl::cat(Category));
static cl::opt<std::string> ResourceDir(
    "resource-dir",
    cl::desc("Clang resource directory (builtin headers); default: " PL_CLANG_RESOURCE_DIR),
    cl::value_desc("dir"), cl::cat(Category));

static std::string absolute(llvm::StringRef P) {
  llvm::SmallString<256> S(P);
  llvm::sys::fs::make_absolute(S);
  llvm::sys::path::remove_dots(S, true);
  return std::string(S);
}

// ---- writing results ------------------------------------------------------

static std::string outputPathFor(const std::string &Source, const std::string &Root) {
  llvm::StringRef Rel(Source);
  if (Rel.consume_front(Root) && Rel.consume_front("/")) {
  } else {
    Rel = llvm::StringRef(Source).ltrim('/');
  }
  llvm::SmallString<256> Out(absolute(OutDir));
  llvm::sys::path::append(Out, Rel);
  return std::string(Out);
}

/// The instrumented sources under -o, and the instrumented headers with the
/// files beside them under --shadow-dir.
static bool writeOutputs(const std::vector<pl::TuResult> &Results, const std::string &Root,
                         const std::string &Shadow) {
  bool Ok = true;
  for (const pl::TuResult &TU : Results) {
    if (!TU.Parsed) continue;
    for (const pl::HeaderResult &H : TU.Headers) {
      if (!mirrorIncludedFiles(H.IncludeRoot, TU.Dependencies, Shadow)) {
        Ok = false;
        continue;
      }
      llvm::SmallString<256> Out(Shadow);
      llvm::sys::path::append(Out, H.Path);
      if (!writeAtomically(std::string(Out), H.Output)) Ok = false;
    }
    if (!writeAtomically(outputPathFor(TU.MainFile, Root), TU.Output)) Ok = false;
  }
  return Ok;
}

static bool writeManifest(const std::vector<pl::TuResult> &Results) {
  std::string Json;
  llvm::raw_string_ostream OS(Json);
  OS << llvm::formatv("{0:2}", pl::manifestJson(Results)) << "\n";
  return writeAtomically(absolute(ManifestFile), OS.str());
}

/// A Makefile rule: the output (or the manifest) depends on every file the
/// one translation unit read.
static bool writeDepFile(const pl::TuResult &TU, const std::string &Root) {
  auto Escape = [](llvm::StringRef P) {
    std::string E;
    for (char C : P) {
      if (C == ' ' || C == '#') E += '\\';
      if (C == '$') E += '$';
      E += C;
    }
    return E;
  };
  std::string D =
      Escape(OutDir.empty() ? absolute(ManifestFile) : outputPathFor(TU.MainFile, Root)) + ":";
  for (const std::string &Dep : TU.Dependencies)
    D += " \\\n  " + Escape(Dep);
  return writeAtomically(absolute(DepFile), D + "\n");
}

// ---- command line ---------------------------------------------------------

/// What `--help` says before the options: how to call the tool, the passes
/// it runs and the contract version its output is written against.
static std::string overview() {
  std::string Text =
      "pl-instrument: writes copies of C++ sources in which every loop boundary calls the pl "
      "runtime.\n\n  pl-instrument -p <build-dir> <sources> -o <out-dir>\n"
      "  pl-instrument <sources> -o <out-dir> -- <compiler flags>\n"
      "  pl-instrument -p <build-dir> <sources> --list\n\nPASSES (in order):\n";
  for (const pl::PassInfo &P : pl::passPipeline())
    Text += llvm::formatv("  {0,-19} {1}\n", P.Id, P.Description).str();
  Text += llvm::formatv("\nThe output needs pl/abi.h of contract version {0}.\n",
                        pl::abi::kContractVersion)
              .str();
  return Text;
}

/// Compiler flags after `--` make a fixed compilation database; they are
/// taken out of the arguments before the options are parsed.
static std::unique_ptr<CompilationDatabase> takeFlagsAfterDashes(int &Argc, const char **Argv) {
  for (int I = 1; I < Argc; ++I) {
    if (std::strcmp(Argv[I], "--") != 0) continue;
    std::vector<std::string> Flags(Argv + I + 1, Argv + Argc);
    Argc = I;
    return std::make_unique<FixedCompilationDatabase>(".", Flags);
  }
  return nullptr;
}

static void parseCommandLine(int Argc, const char **Argv) {
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) {
    OS << "pl-instrument (pl " PL_VERSION ", contract version " << pl::abi::kContractVersion
       << ", Clang " LLVM_VERSION_STRING ")\n";
  });
  std::string Overview = overview();
  cl::ParseCommandLineOptions(Argc, Argv, Overview);
}

/// Checks the options against each other and the sources for existence;
/// fills `Files` with the sources' absolute paths.
static bool checkArguments(std::vector<std::string> &Files) {
  if (!DepFile.empty() && Sources.size() != 1)
    return fail("--depfile needs exactly one source file");
  if (OutDir.empty() && !List && ManifestFile.empty())
    return fail("nothing to do: pass -o <dir> to write instrumented sources, or --list / "
                "--manifest <file>");
  for (const std::string &S : Sources) {
    if (!llvm::sys::fs::is_regular_file(S)) return fail("no such source file: '" + S + "'");
    Files.push_back(absolute(S));
  }
  return true;
}

/// The compile database: the flags after `--` if given (`Db` already set),
/// else the one in -p's directory, else one found above the first source.
/// Every source needs a real entry in it.
static bool loadDatabase(std::unique_ptr<CompilationDatabase> &Db,
                         const std::vector<std::string> &Files) {
  std::string DbError;
  if (!Db && !BuildPath.empty()) {
    Db = CompilationDatabase::loadFromDirectory(BuildPath, DbError);
    if (!Db)
      return fail("cannot load a compilation database from '" + BuildPath + "': " + DbError +
                  "\n  fix: configure that build with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, or "
                  "give the compiler flags after `--`");
  }
  if (!Db) {
    Db = CompilationDatabase::autoDetectFromSource(Files.front(), DbError);
    if (!Db)
      return fail("no compilation database for '" + Files.front() +
                  "'\n  fix: pass -p <build dir containing compile_commands.json>, or give the "
                  "compiler flags after `--` (e.g. `-- -std=c++20 -Iinclude`)");
  }
  for (const std::string &F : Files) {
    // The JSON database guesses a command for unknown files (Heuristic is
    // then set); for a source that is a silent wrong guess, so refuse it.
    std::vector<CompileCommand> Cmds = Db->getCompileCommands(F);
    if (Cmds.empty() || !Cmds.front().Heuristic.empty())
      return fail("'" + F +
                  "' has no entry in the compilation database\n  fix: make it part "
                  "of the build that wrote compile_commands.json, or give flags after `--`");
  }
  return true;
}

static bool checkNoSourceOverwritten(const std::vector<std::string> &Files,
                                     const std::string &Root) {
  if (OutDir.empty()) return true;
  for (const std::string &F : Files) {
    std::string Out = outputPathFor(F, Root);
    if (Out == F || llvm::sys::fs::equivalent(Out, F))
      return fail("output '" + Out + "' would overwrite its source; choose another -o");
  }
  return true;
}

/// Clang's resource directory: --resource-dir, $PL_CLANG_RESOURCE_DIR, or
/// the one found at configure time.
static bool findResourceDir(std::string &Resource) {
  Resource = ResourceDir;
  if (Resource.empty())
    if (auto Env = llvm::sys::Process::GetEnv("PL_CLANG_RESOURCE_DIR")) Resource = *Env;
  if (Resource.empty()) Resource = PL_CLANG_RESOURCE_DIR;
  if (!llvm::sys::fs::is_directory(Resource + "/include"))
    return fail("Clang's resource directory '" + Resource +
                "' has no include/ (builtin headers such as stddef.h live there)\n  fix: pass "
                "--resource-dir=$(clang-19 -print-resource-dir) or set PL_CLANG_RESOURCE_DIR");
  return true;
}

/// True if some existing file matches path glob `G` (searched from the
/// directory part of `G` before its first wildcard).
static bool globMatchesSomeFile(const std::string &G) {
  size_t Wild = G.find_first_of("*?");
  if (Wild == std::string::npos) return llvm::sys::fs::exists(G);
  std::string Dir = G.substr(0, G.rfind('/', Wild));
  std::error_code EC;
  unsigned Seen = 0;
  for (llvm::sys::fs::recursive_directory_iterator It(Dir.empty() ? "/" : Dir, EC), End;
       It != End && !EC && ++Seen < 200000; It.increment(EC))
    if (pl::pathGlobMatches(G, It->path())) return true;
  return false;
}

static bool checkHeaderSelection() {
  if (!Headers.empty() && ShadowDir.empty())
    return fail("--headers needs --shadow-dir <dir> (where the instrumented headers go)");
  // A selection that matches no file at all is a mistake; one that matches
  // files this translation unit does not include is normal in a target.
  for (const std::string &G : Headers) {
    if (globMatchesSomeFile(G)) continue;
    llvm::errs() << "pl-instrument: " << (Lenient ? "warning" : "error") << ": --headers '" << G
                 << "' matches no file" << (Lenient ? "" : " (pass --lenient to go on without it)")
                 << "\n";
    if (!Lenient) return false;
  }
  return true;
}

// ---- running the passes ---------------------------------------------------

/// Drops the include flags that point into the shadow tree, so the tool
/// parses the original headers, never an earlier run's shadow copies.
static ArgumentsAdjuster withoutShadowIncludes(const std::string &Shadow) {
  return [Shadow](const CommandLineArguments &Args, llvm::StringRef) {
    CommandLineArguments Out;
    for (size_t I = 0; I < Args.size(); ++I) {
      llvm::StringRef A(Args[I]);
      for (llvm::StringRef Flag : {"-I", "-isystem", "-iquote", "-idirafter"}) {
        if (A == Flag && I + 1 < Args.size() && llvm::StringRef(Args[I + 1]).starts_with(Shadow)) {
          ++I;
          A = "";
          break;
        }
        if (A.starts_with(Flag) && A.drop_front(Flag.size()).starts_with(Shadow)) {
          A = "";
          break;
        }
      }
      if (!A.empty()) Out.push_back(Args[I]);
    }
    return Out;
  };
}

/// Runs the pass pipeline on every source; false if the tool failed.
static bool instrument(CompilationDatabase &Db, const std::vector<std::string> &Files,
                       const std::string &Resource, const std::string &Shadow,
                       std::vector<pl::TuResult> &Results) {
  ClangTool Tool(Db, Files);
  if (!Shadow.empty()) Tool.appendArgumentsAdjuster(withoutShadowIncludes(Shadow));
  Tool.appendArgumentsAdjuster(
      getInsertArgumentAdjuster({"-resource-dir=" + Resource, "-w", "-Wno-unknown-warning-option"},
                                ArgumentInsertPosition::BEGIN));
  pl::PassOptions Opts;
  Opts.HeaderGlobs.assign(Headers.begin(), Headers.end());
  Opts.Versioning = !NoVersioning;
  Opts.RequireResumable = RequireResumable;
  Opts.TransientFields.assign(Transient.begin(), Transient.end());
  return Tool.run(pl::makeInstrumentActionFactory(Results, Opts).get()) == 0;
}

/// Prints the passes' notes clang-style; false if one is an error (with
/// --lenient, errors are printed as warnings) or a source did not compile.
static bool reportNotes(const std::vector<pl::TuResult> &Results) {
  bool Ok = true;
  for (const pl::TuResult &TU : Results) {
    for (pl::ToolNote N : TU.Notes) {
      if (N.Kind == "error" && Lenient) N.Kind = "warning";
      if (N.Kind == "error") Ok = false;
      llvm::errs() << N.File << ":" << N.Line << ":" << N.Column << ": " << N.Kind << ": "
                   << N.Message << "\n";
    }
    if (!TU.Parsed) {
      Ok = false;
      llvm::errs() << "pl-instrument: error: '" << TU.MainFile
                   << "' did not compile; no output written for it\n";
    }
  }
  return Ok;
}

int main(int argc, const char **argv) {
  std::unique_ptr<CompilationDatabase> Db = takeFlagsAfterDashes(argc, argv);
  parseCommandLine(argc, argv);
  std::vector<std::string> Files;
  if (!checkArguments(Files) || !loadDatabase(Db, Files)) return 1;
  std::string Root = absolute(SourceRoot.empty() ? "." : SourceRoot.getValue());
  std::string Resource;
  if (!checkNoSourceOverwritten(Files, Root) || !findResourceDir(Resource) ||
      !checkHeaderSelection())
    return 1;
  std::string Shadow = ShadowDir.empty() ? "" : absolute(ShadowDir);

  std::vector<pl::TuResult> Results;
  bool ToolOk = instrument(*Db, Files, Resource, Shadow, Results);
  bool Ok = reportNotes(Results) && ToolOk;
  if (List) pl::printLoopList(llvm::outs(), Results);
  if (!ManifestFile.empty() && !writeManifest(Results)) Ok = false;
  if (!OutDir.empty() && Ok && !writeOutputs(Results, Root, Shadow)) Ok = false;
  if (!DepFile.empty() && Ok && Results.size() == 1 && !writeDepFile(Results[0], Root)) Ok = false;
  return Ok ? 0 : 1;
}
