// Manifest — the --list text and the --manifest JSON.
#include "Manifest.h"

#include "llvm/ADT/StringExtras.h"

#include <set>

namespace pl {
namespace {

/// "a : int, b : double" for the variables not already listed in `Before`.
std::string newVars(const std::vector<ListedVar> &Vars, const std::vector<ListedVar> &Before) {
  std::set<std::string> Known;
  for (const ListedVar &V : Before)
    Known.insert(V.Name + ":" + V.Type);
  std::string S;
  for (const ListedVar &V : Vars) {
    if (Known.count(V.Name + ":" + V.Type)) continue;
    S += (S.empty() ? "" : ", ") + V.Name + " : " + V.Type;
  }
  return S.empty() ? "(none new)" : S;
}

llvm::json::Array varsJson(const std::vector<ListedVar> &Vars) {
  llvm::json::Array A;
  for (const ListedVar &V : Vars)
    A.push_back(llvm::json::Object{{"name", V.Name}, {"type", V.Type}});
  return A;
}

} // namespace

void printLoopList(llvm::raw_ostream &OS, const std::vector<TuResult> &Results) {
  for (const TuResult &TU : Results) {
    for (const ListedLoop &L : TU.Loops) {
      OS << L.FullName << "\n";
      OS << "  at      " << L.File << ":" << L.Line << ":" << L.Column << "  (" << L.Kind
         << ", name from " << L.LabelSource << ", trip count "
         << (L.Counted ? "known at enter" : "unknown") << ")\n";
      OS << "  parent  " << (L.Parent.empty() ? "-" : L.Parent) << "\n";
      if (!L.Instrumented) {
        OS << "  NOT INSTRUMENTED: " << L.SkipReason << "\n\n";
        continue;
      }
      OS << "  enter/exit  " << newVars(L.EnterVars, {}) << "\n";
      OS << "  begin     + " << newVars(L.BeginVars, L.EnterVars) << "\n";
      OS << "  end       + " << newVars(L.EndVars, L.BeginVars) << "\n";
      OS << "  state       " << (L.State.empty() ? "(none)" : newVars(L.State, {}))
         << "   (what the nest may modify; a checkpoint here holds these)\n";
      for (const ListedVar &V : L.SavedAs)
        OS << "    " << V.Name << ": saved as " << V.Type << "\n";
      if (!L.Unsaveable.empty()) {
        OS << "  not resumable: " << llvm::join(L.Unsaveable, "; ") << "\n";
        for (size_t I = 0; I < L.Unsaveable.size() && I < L.UnsaveableWhy.size(); ++I)
          if (!L.UnsaveableWhy[I].empty())
            OS << "    " << L.Unsaveable[I] << ": pl cannot save it " << L.UnsaveableWhy[I]
               << "\n";
      }
      if (!L.AtInstantiation.empty())
        OS << "  state decided when the template is instantiated: "
           << llvm::join(L.AtInstantiation, "; ") << "   (saved if pl can save the type then)\n";
      if (!L.Uncaptured.empty())
        OS << "  always re-run on resume: " << llvm::join(L.Uncaptured, "; ") << "\n";
      if (!L.RestoredBy.empty())
        OS << "  skipped when " << L.RestoredBy
           << " resumes: its state holds everything this loop changes\n";
      OS << "\n";
    }
  }
}

llvm::json::Value manifestJson(const std::vector<TuResult> &Results) {
  llvm::json::Array Loops;
  for (const TuResult &TU : Results) {
    for (const ListedLoop &L : TU.Loops) {
      llvm::json::Object O{
          {"name", L.FullName},
          {"function", L.Function},
          {"label", L.Label},
          {"label_source", L.LabelSource},
          {"file", L.File},
          {"line", L.Line},
          {"column", L.Column},
          {"kind", L.Kind},
          {"parent", L.Parent.empty() ? llvm::json::Value(nullptr) : llvm::json::Value(L.Parent)},
          {"instrumented", L.Instrumented},
          {"trip_count_known", L.Counted},
          {"state", varsJson(L.State)},
          {"unsaveable", llvm::json::Array(L.Unsaveable)},
          {"saved_as",
           [&] {
             llvm::json::Object How;
             for (const ListedVar &V : L.SavedAs)
               How[V.Name] = V.Type;
             return How;
           }()},
          {"decided_at_instantiation", llvm::json::Array(L.AtInstantiation)},
          {"uncaptured", llvm::json::Array(L.Uncaptured)},
          {"restored_by", L.RestoredBy},
          {"vars", llvm::json::Object{{"enter", varsJson(L.EnterVars)},
                                      {"begin", varsJson(L.BeginVars)},
                                      {"end", varsJson(L.EndVars)}}}};
      if (!L.Instrumented) O["skip_reason"] = L.SkipReason;
      Loops.push_back(std::move(O));
    }
  }
  return llvm::json::Object{{"pl_manifest_version", 2}, {"loops", std::move(Loops)}};
}

} // namespace pl
