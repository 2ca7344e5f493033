#include "demo/names.h"

#include <cstdint>
#include <utility>

namespace nbapc::demo {
namespace {

// Decodes one UTF-8 code point at text[pos]; advances pos. Invalid bytes map to 0xFFFD.
uint32_t DecodeUtf8(std::string_view text, size_t& pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  int extra = (lead >= 0xF0) ? 3 : (lead >= 0xE0) ? 2 : (lead >= 0xC0) ? 1 : 0;
  if (extra == 0 || pos + extra >= text.size()) {
    ++pos;
    return 0xFFFD;
  }
  uint32_t cp = lead & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (byte(pos + k) & 0x3F);
  pos += extra + 1;
  return cp;
}

// Fold table: Latin letters with diacritics -> their NFKD base letters
// (lower-case), plus the special folds of inputs.md §1.
const std::pair<uint32_t, const char*> kFold[] = {
    {0xC0, "a"},  {0xC1, "a"},  {0xC2, "a"},  {0xC3, "a"},  {0xC4, "a"},  {0xC5, "a"},  {0xC6, "ae"},
    {0xC7, "c"},  {0xC8, "e"},  {0xC9, "e"},  {0xCA, "e"},  {0xCB, "e"},  {0xCC, "i"},  {0xCD, "i"},
    {0xCE, "i"},  {0xCF, "i"},  {0xD1, "n"},  {0xD2, "o"},  {0xD3, "o"},  {0xD4, "o"},  {0xD5, "o"},
    {0xD6, "o"},  {0xD8, "o"},  {0xD9, "u"},  {0xDA, "u"},  {0xDB, "u"},  {0xDC, "u"},  {0xDD, "y"},
    {0xDE, "th"}, {0xDF, "ss"}, {0xE0, "a"},  {0xE1, "a"},  {0xE2, "a"},  {0xE3, "a"},  {0xE4, "a"},
    {0xE5, "a"},  {0xE6, "ae"}, {0xE7, "c"},  {0xE8, "e"},  {0xE9, "e"},  {0xEA, "e"},  {0xEB, "e"},
    {0xEC, "i"},  {0xED, "i"},  {0xEE, "i"},  {0xEF, "i"},  {0xF1, "n"},  {0xF2, "o"},  {0xF3, "o"},
    {0xF4, "o"},  {0xF5, "o"},  {0xF6, "o"},  {0xF8, "o"},  {0xF9, "u"},  {0xFA, "u"},  {0xFB, "u"},
    {0xFC, "u"},  {0xFD, "y"},  {0xFE, "th"}, {0xFF, "y"},  {0x100, "a"}, {0x101, "a"}, {0x104, "a"}, {0x105, "a"}, {0x118, "e"}, {0x119, "e"}, {0x106, "c"},
    {0x107, "c"}, {0x10C, "c"}, {0x10D, "c"}, {0x110, "d"}, {0x111, "d"}, {0x112, "e"}, {0x113, "e"},
    {0x11A, "e"}, {0x11B, "e"}, {0x11E, "g"}, {0x11F, "g"}, {0x122, "g"}, {0x123, "g"}, {0x12A, "i"},
    {0x12B, "i"}, {0x130, "i"}, {0x131, "i"}, {0x136, "k"}, {0x137, "k"}, {0x13B, "l"}, {0x13C, "l"},
    {0x141, "l"}, {0x142, "l"}, {0x143, "n"}, {0x144, "n"}, {0x145, "n"}, {0x146, "n"}, {0x147, "n"},
    {0x148, "n"}, {0x150, "o"}, {0x151, "o"}, {0x152, "oe"}, {0x153, "oe"}, {0x158, "r"}, {0x159, "r"},
    {0x15A, "s"}, {0x15B, "s"}, {0x15E, "s"}, {0x15F, "s"}, {0x160, "s"}, {0x161, "s"}, {0x16A, "u"},
    {0x16B, "u"}, {0x16E, "u"}, {0x16F, "u"}, {0x170, "u"}, {0x171, "u"}, {0x179, "z"}, {0x17A, "z"},
    {0x17B, "z"}, {0x17C, "z"}, {0x17D, "z"}, {0x17E, "z"},
};

const char* FoldCodePoint(uint32_t cp) {
  for (const auto& [code, ascii] : kFold) {
    if (code == cp) return ascii;
  }
  return nullptr;
}

}  // namespace

const std::vector<std::string_view>& FirstNames() {
  static const std::vector<std::string_view> kNames = {
      "Aaron", "Adam", "Adrian", "Al", "Alec", "Alex", "Alperen", "Amir", "Andre", "Andrew", "Anfernee",
      "Anthony", "Ausar", "Austin", "Bam", "Ben", "Bennedict", "Bilal", "Blake", "Bogdan", "Bojan", "Bol",
      "Bones", "Brandon", "Brook", "Bruce", "Bryce", "Buddy", "C.J.", "Caleb", "Cam", "Cameron", "Cason",
      "Chet", "Chris", "Christian", "Clint", "Cody", "Cole", "Collin", "Corey", "Dalano", "Damian", "Daniel",
      "Dante", "Dario", "Darius", "Dāvis", "De'Aaron", "De'Andre", "Dean", "Dejounte", "DeMar", "Dennis",
      "Derrick", "Desmond", "Devin", "Dillon", "Domantas", "Donovan", "Dorian", "Draymond", "Dyson", "Édgar",
      "Elijah", "Evan", "Franz", "Fred", "Gabe", "Gary", "Georges", "Giannis", "Gordon", "Gradey", "Grant",
      "Harrison", "Herbert", "Immanuel", "Isaiah", "Ivica", "Jabari", "Jaden", "Jake", "Jakob", "Jalen",
      "Jamal", "Ja'Kobe", "Jaren", "Jarrett", "Jaylen", "Jeremiah", "Jerami", "Jock", "Joel", "Jonas",
      "Jordan", "Josh", "Jrue", "Jusuf", "Karl-Anthony", "Kawhi", "Keegan", "Kelly", "Kevin", "Khris",
      "Klay", "Kristaps", "Kyle", "Lauri", "LeBron", "Luguentz", "Luka", "Malik", "Marcus", "Mark", "Mason",
      "Max", "Miles", "Mikal", "Moses", "Naji", "Nickeil", "Nikola", "Norman", "O.G.", "Obi", "Onyeka",
      "Orlando", "Óscar", "Otto", "P.J.", "Pascal", "Patrick", "Paolo", "Quentin", "R.J.", "Reggie", "Rudy",
      "Russell", "Saddiq", "Scottie", "Sekou", "Shai", "Spencer", "Stephen", "Svi", "T.J.", "Tari", "Terance",
      "Théo", "Tobias", "Trae", "Tre", "Tyrese", "Tyus", "Vasilije", "Victor", "Walker", "Wendell", "Yuki",
      "Zach", "Zion", "Ömer", "Šarūnas", "Nikolaj", "Mouhamed", "Goga", "Killian", "Dāniels", "Jérémy",
  };
  return kNames;
}

const std::vector<std::string_view>& LastNames() {
  static const std::vector<std::string_view> kNames = {
      "Achiuwa", "Adebayo", "Aldama", "Alexander", "Allen", "Anderson", "Antetokounmpo", "Anunoby", "Ayton",
      "Bagley", "Ball", "Bamba", "Banchero", "Barnes", "Barrett", "Beasley", "Bertāns", "Bey", "Bitadze",
      "Bogdanović", "Bridges", "Brogdon", "Brown", "Brunson", "Bryant", "Buzelis", "Caldwell-Pope",
      "Capela", "Carter", "Castleton", "Clarke", "Clarkson", "Claxton", "Collins", "Connaughton", "Cunningham",
      "Dadiet", "Daniels", "DeRozan", "Dieng", "Dinwiddie", "Dončić", "Dort", "Dosunmu", "Drummond", "Duren",
      "Edey", "Edwards", "Eubanks", "Fontecchio", "Fox", "Garland", "Gafford", "Giddey", "Gilgeous-Alexander",
      "Gobert", "Gordon", "Grant", "Green", "Hachimura", "Haliburton", "Hardaway", "Harris", "Hart", "Hauser",
      "Hayes", "Herro", "Hield", "Holiday", "Holmgren", "Horford", "Hunter", "Hyland", "Ingram", "Isaac",
      "Ivey", "Jackson", "Jaquez", "Jokić", "Johnson", "Jones", "Jović", "Kennard", "Kispert", "Kleber",
      "Knecht", "Kuminga", "Kuzma", "LaVine", "Lillard", "Lively", "Looney", "Lopez", "Lowry", "Mamukelashvili",
      "Markkanen", "Mathurin", "Maxey", "Mbaye-Diallo", "McCollum", "McConnell", "McDaniels", "Micić",
      "Middleton", "Mitchell", "Mobley", "Monk", "Morant", "Murray", "Nembhard", "Nesmith", "Nnaji",
      "Nurkić", "Nwora", "O'Connor", "O'Neale", "Okongwu", "Oubre", "Payton", "Pöltl", "Porziņģis", "Poole",
      "Portis", "Powell", "Quickley", "Randle", "Reaves", "Reid", "Robinson", "Rozier", "Russell", "Šarić",
      "Sabonis", "Sarr", "Schröder", "Sengün", "Sexton", "Simons", "Smart", "Smith", "Sochan", "Strus",
      "Suggs", "Tatum", "Thompson", "Tillman", "Topić", "Towns", "Trent", "Turner", "Valančiūnas", "Vučević",
      "VanVleet", "Vassell", "Wagner", "Walker", "Wallace", "Washington", "Watford", "Wembanyama", "White",
      "Whitmore", "Wiggins", "Williams", "Williamson", "Wright", "Yabusele", "Young", "Yurtseven", "Zubac",
      "Nowicki", "Łukasz", "Dąbrowski", "Øvergård", "Ødegaard", "Strauß", "Mørk", "Hæger", "Dumitrescu",
      "St. Clair", "D'Angelo", "Van-Der-Berg", "Kőszegi", "Müller", "Núñez", "Ibáñez", "García", "Ramírez",
      "Çelik", "Yılmaz", "Öztürk", "Đorđević", "Ilić", "Marjanović", "Krejčí", "Dvořák", "Šimůnek",
      "Larsen", "Bjørnstad", "Þórsson", "Ledée", "Fournier", "Noël", "Gueye", "Diabaté", "N'Diaye",
      "Okafor", "Oladipo", "Uchenna-Eze", "Abdul-Jabbar", "De Sousa", "Le Roux", "MacArthur", "McKinley",
  };
  return kNames;
}

std::string FoldPlayerLookup(std::string_view display_name, int* unknown) {
  std::string out;
  size_t pos = 0;
  while (pos < display_name.size()) {
    uint32_t cp = DecodeUtf8(display_name, pos);
    if (cp < 0x80) {
      char c = static_cast<char>(cp);
      if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
      else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
      continue;
    }
    if (const char* ascii = FoldCodePoint(cp)) {
      out += ascii;
    } else if (unknown != nullptr) {
      ++*unknown;
    }
  }
  return out;
}

std::string DrawDisplayName(Rng& rng) {
  const auto& firsts = FirstNames();
  const auto& lasts = LastNames();
  std::string name(firsts[rng.UniformInt(0, static_cast<int>(firsts.size()) - 1)]);
  name += ' ';
  name += lasts[rng.UniformInt(0, static_cast<int>(lasts.size()) - 1)];
  double suffix = rng.Uniform01();
  if (suffix < 0.04) name += " Jr.";
  else if (suffix < 0.05) name += " II";
  else if (suffix < 0.06) name += " III";
  return name;
}

}  // namespace nbapc::demo
