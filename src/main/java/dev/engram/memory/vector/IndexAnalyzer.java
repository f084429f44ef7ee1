package dev.engram.memory.vector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.cn.smart.HMMChineseTokenizer;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Text analysis for Chinese and English in one field: smartcn's HMM word segmentation (which also
 * splits and lower-cases Latin words), then stop words (punctuation, English function words and a
 * few Chinese particles), then Porter stemming for English. Thread-safe (Lucene analyzers reuse
 * their token streams per thread).
 */
final class IndexAnalyzer extends Analyzer {
    private static final List<String> CHINESE_STOP = List.of(
            "的", "了", "着", "过", "吗", "呢", "吧", "啊", "呀", "嘛", "哦", "哈", "和", "与", "及", "是", "在",
            "就", "都", "也", "还", "又", "很", "这", "那", "个", "一", "我", "你", "他", "她", "它", "们", "我们",
            "你们", "他们", "有", "被", "把", "给", "让");

    private final CharArraySet stop;

    IndexAnalyzer() {
        CharArraySet set = new CharArraySet(SmartChineseAnalyzer.getDefaultStopSet(), false);
        set.addAll(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        set.addAll(CHINESE_STOP);
        this.stop = CharArraySet.unmodifiableSet(set);
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer tokenizer = new HMMChineseTokenizer();
        TokenStream stream = new StopFilter(tokenizer, stop);
        stream = new PorterStemFilter(stream);
        return new TokenStreamComponents(tokenizer, stream);
    }

    /** The distinct terms of {@code text} as {@code field} would index them, in order, at most {@code limit}. */
    List<String> terms(String field, String text, int limit) {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream ts = tokenStream(field, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (terms.size() < limit && ts.incrementToken()) terms.add(term.toString());
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analysis of a string failed", e); // cannot happen for a StringReader
        }
        return new ArrayList<>(terms);
    }
}
