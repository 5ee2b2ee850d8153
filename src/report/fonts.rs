//! Fonts: Noto Sans (Latin, Greek, Cyrillic), Arabic and Hebrew ship inside the binary;
//! CJK faces are too large to ship and are found on the system (Debian/Ubuntu
//! `fonts-noto-cjk`, or any directory in `CANARY_FONT_PATH`) the first time a report
//! is made. A character no face covers is reported as a warning, never drawn as a box.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

static EMBEDDED: [&[u8]; 6] = [
    include_bytes!("fonts/NotoSans-Regular.ttf"),
    include_bytes!("fonts/NotoSans-Bold.ttf"),
    include_bytes!("fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("fonts/NotoSansArabic-Bold.ttf"),
    include_bytes!("fonts/NotoSansHebrew-Regular.ttf"),
    include_bytes!("fonts/NotoSansHebrew-Bold.ttf"),
];

/// The CJK faces the templates use: Japanese, Korean and Simplified Chinese forms
/// (the collections also hold TC, HK and Mono faces, which only slow loading).
const CJK_FAMILIES: [&str; 3] = ["Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK SC"];

/// Where distributions install Noto CJK.
const CJK_DIRS: [&str; 5] = [
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/opentype/noto-cjk",
    "/usr/local/share/fonts",
];

pub(crate) struct Fonts {
    pub book: LazyHash<FontBook>,
    pub fonts: Vec<Font>,
    /// CJK families found, in the order the templates should prefer them.
    pub cjk_families: Vec<String>,
}

impl Fonts {
    /// The process-wide font set; loading the CJK collections reads ~40 MB, so once.
    pub fn get() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(Self::load)
    }

    fn load() -> Fonts {
        let mut fonts: Vec<Font> = EMBEDDED
            .iter()
            .filter_map(|data| Font::new(Bytes::new(*data), 0))
            .collect();
        for path in cjk_files() {
            let Ok(data) = std::fs::read(&path) else {
                continue;
            };
            fonts.extend(
                Font::iter(Bytes::new(data))
                    .filter(|f| CJK_FAMILIES.contains(&f.info().family.as_str())),
            );
        }
        let cjk_families = CJK_FAMILIES
            .iter()
            .filter(|fam| fonts.iter().any(|f| f.info().family == **fam))
            .map(|fam| fam.to_string())
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            cjk_families,
        }
    }

    /// Whether some face can draw `c`.
    pub fn covers(&self, c: char) -> bool {
        self.fonts
            .iter()
            .any(|f| f.info().coverage.contains(c as u32))
    }
}

/// Noto Sans CJK collections (Regular and Bold), first directory that has them wins.
fn cjk_files() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("CANARY_FONT_PATH")
        .map(|v| std::env::split_paths(&v).collect())
        .unwrap_or_default();
    dirs.extend(CJK_DIRS.iter().map(PathBuf::from));
    for dir in dirs {
        let found = faces_in(&dir);
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

fn faces_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| matches!(n, "NotoSansCJK-Regular.ttc" | "NotoSansCJK-Bold.ttc"))
        })
        .collect();
    found.sort();
    found
}
