//! The sentence splitter on the essay (texts/ in the repository).

use lectio_text::sentences;

fn essay() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../texts/deutscher-1956-khrushchev-on-stalin.txt"
    );
    std::fs::read_to_string(path).unwrap()
}

/// The sentence containing `needle`.
fn sentence_with<'a>(text: &'a str, needle: &str) -> &'a str {
    let at = text.find(needle).unwrap();
    let s = sentences(text)
        .into_iter()
        .find(|s| s.start <= at && at < s.end)
        .unwrap();
    &text[s.start..s.end]
}

#[test]
fn initials_initialisms_and_per_cent_stay_inside_their_sentences() {
    let text = essay();
    assert_eq!(
        sentence_with(&text, "N. S. Khrushchev"),
        "No one who has seen and heard N. S. Khrushchev speaking on a platform or arguing with \
         people will doubt the authenticity of the text, published by the State Department, of \
         his secret speech at the Twentieth Congress of the Soviet Communist Party."
    );
    let nkvd = sentence_with(&text, "N.K.V.D. men");
    assert!(
        nkvd.starts_with("There they see him now, the ”Father of the Peoples”"),
        "{nkvd}"
    );
    assert!(nkvd.contains("ordering judges and N.K.V.D. men to torture the victims"));
    assert_eq!(
        sentence_with(&text, "60 per cent. were"),
        "Of nearly 2,000 of those ”victors”, delegates present at the congress, about 60 per \
         cent. were, according to Khrushchev, ”arrested on charges of counter-revolutionary \
         crimes (most in 1937-38)”."
    );
    assert_eq!(
        sentence_with(&text, "60 per cent. to 70"),
        "Thus, in those years alone Stalin annihilated 60 per cent. to 70 per cent. of the \
         leading cadres of his own faction; and there were uncounted victims among the rank and \
         file."
    );
    assert_eq!(
        sentence_with(&text, "i.e. 70 per cent."),
        "Of the 139 members of the Central Committee then elected ”98 persons, i.e. 70 per \
         cent., were arrested and shot (mostly in 1937-38)”."
    );
}

#[test]
fn the_essay_has_this_many_sentences() {
    // 248 sentences: the count the aligner pairs one to one with the German translation.
    assert_eq!(sentences(&essay()).len(), 248);
}
