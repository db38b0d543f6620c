package dev.nemobot.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GuiTranslatorTest {

    @Test
    void stripsInterfaceInstructionsAndKeepsTheContent() {
        Translation t = GuiTranslator.translate(
                "Done! Your 5-second clip is ready. Click Export to download it, or preview it in the timeline.");
        assertThat(t.text()).isEqualTo("Done! Your 5-second clip is ready.");
        assertThat(t.followups()).containsExactlyInAnyOrder(Followup.EXPORT, Followup.TIMELINE);
    }

    @Test
    void checkAccountBecomesTheCredits() {
        Translation t = GuiTranslator.translate("Nice photo! You can check your account for the remaining credits.");
        assertThat(t.text()).isEqualTo("Nice photo!");
        assertThat(t.followups()).containsExactly(Followup.CREDITS);
    }

    @Test
    void openBecomesTheTimeline() {
        Translation t = GuiTranslator.translate("The music is now softer. Open the timeline to see it.");
        assertThat(t.text()).isEqualTo("The music is now softer.");
        assertThat(t.followups()).containsExactly(Followup.TIMELINE);
    }

    @Test
    void clickUploadBecomesUploadHelp() {
        Translation t = GuiTranslator.translate("Please click Upload to add an image first");
        assertThat(t.text()).isEmpty();
        assertThat(t.followups()).containsExactly(Followup.UPLOAD);
    }

    @Test
    void dragAndDropBecomesAHintToDescribeTheEdit() {
        Translation t = GuiTranslator.translate("I added a title. Drag it to the end of the track if you like.");
        assertThat(t.text()).isEqualTo("I added a title.");
        assertThat(t.followups()).containsExactly(Followup.DESCRIBE_EDIT);
    }

    @Test
    void chineseInterfaceTalkIsStrippedToo() {
        Translation t = GuiTranslator.translate("完成！你的 5 秒视频已准备好。点击导出即可下载。打开时间线查看。");
        assertThat(t.text()).isEqualTo("完成！你的 5 秒视频已准备好。");
        assertThat(t.followups()).containsExactlyInAnyOrder(Followup.EXPORT, Followup.TIMELINE);
    }

    @Test
    void plainContentPassesUnchanged() {
        Translation t = GuiTranslator.translate("Your raw video is ready, adding background music and a title...");
        assertThat(t.text()).isEqualTo("Your raw video is ready, adding background music and a title...");
        assertThat(t.followups()).isEmpty();
    }

    @Test
    void interfaceWordsAreFoundInAnyCaseAndBesideOtherScripts() {
        Translation t = GuiTranslator.translate("Ready. PRESS the BUTTON to EXPORT it. 请在时间线中预览。Bien, CLIQUEZ ici. "
                + "Voilà.");
        assertThat(t.text()).as("French interface talk is known too").isEqualTo("Ready. Voilà.");
        assertThat(t.followups()).containsExactlyInAnyOrder(Followup.EXPORT, Followup.TIMELINE);
    }

    @Test
    void partialTextShowsOnlyWholeSentences() {
        assertThat(GuiTranslator.translatePartial("Done! Your clip is ready. Cli")).isEqualTo("Done! Your clip is ready.");
        assertThat(GuiTranslator.translatePartial("Done! Your clip is ready. Click Export to")).isEqualTo("Done! Your clip is ready.");
        assertThat(GuiTranslator.translatePartial("Don")).isEmpty();
    }

    @Test
    void recognisesTheTrailingTemporaryIssueRemark() {
        assertThat(GuiTranslator.isTemporaryIssue("I encountered a temporary issue.")).isTrue();
        assertThat(GuiTranslator.isTemporaryIssue("Done! Your clip is ready.")).isFalse();
    }

    /**
     * The agent's sentences in one language (as the simulator says them): the content it keeps, then what its talk
     * about the web editor turns into.
     */
    record Said(String lang, String done, String doneKept, String needImage, String music, String musicKept,
                String openTimeline, String checkCredits, String content, String trim) {
    }

    static List<Said> languages() {
        return List.of(
                new Said("zh-TW", "完成！你的5秒短片已經做好了。點擊匯出即可下載，或在時間軸中預覽。", "完成！你的5秒短片已經做好了。",
                        "請先點擊上傳新增一張圖片，然後告訴我它該怎麼動。",
                        "已加入 Jazz 背景音樂，音量 50%。可以拖曳時間軸上的音量滑桿調整。", "已加入 Jazz 背景音樂，音量 50%。",
                        "好的！打開時間軸就能看到專案現在的內容。", "你可以在帳戶頁面查看剩餘積分。",
                        "好的，已按你的要求更新時間軸。", "已將短片剪到 3 秒。可以在時間軸中預覽。"),
                new Said("ja", "完成です！5秒のクリップができました。エクスポートをクリックしてダウンロードするか、タイムラインでプレビューしてください。",
                        "完成です！5秒のクリップができました。",
                        "まず「アップロード」をクリックして画像を追加し、どう動かしたいか教えてください。",
                        "JazzのBGMを音量50%で追加しました。タイムラインの音量スライダーをドラッグして調整できます。",
                        "JazzのBGMを音量50%で追加しました。",
                        "もちろんです！タイムラインを開くと、今のプロジェクトの内容が見られます。",
                        "アカウントページで残りのクレジットを確認できます。",
                        "静止画を滑らかに動く短い動画にできます。画像をアップロードして、どう動かしたいか教えてください。",
                        "クリップを3秒にカットしました。タイムラインでプレビューできます。"),
                new Said("ko", "완료! 5초 클립이 준비되었습니다. 내보내기를 클릭해 다운로드하거나 타임라인에서 미리 보세요.",
                        "완료! 5초 클립이 준비되었습니다.", "먼저 업로드를 클릭해 이미지를 추가한 다음, 어떻게 움직여야 할지 알려 주세요.",
                        "Jazz 배경 음악을 음량 50%로 추가했습니다. 타임라인의 음량 슬라이더를 드래그해 조정하세요.",
                        "Jazz 배경 음악을 음량 50%로 추가했습니다.",
                        "물론이죠! 타임라인을 열면 지금 프로젝트에 무엇이 있는지 볼 수 있습니다.",
                        "계정 페이지에서 남은 크레딧을 확인할 수 있습니다.",
                        "정지 이미지를 부드럽게 움직이는 짧은 영상으로 만들 수 있습니다. 사진을 업로드하고 어떻게 움직여야 할지 알려 주세요.",
                        "클립을 3초로 잘랐습니다. 타임라인에서 미리 보세요."),
                new Said("es", "¡Listo! Tu clip de 5 segundos está preparado. Haz clic en Exportar para descargarlo o mira la "
                        + "vista previa en la línea de tiempo.", "¡Listo! Tu clip de 5 segundos está preparado.",
                        "Primero haz clic en Subir para añadir una imagen y luego dime cómo debe moverse.",
                        "He añadido música de fondo Jazz al 50 % de volumen. Arrastra el control de volumen en la línea "
                        + "de tiempo para ajustarlo.", "He añadido música de fondo Jazz al 50 % de volumen.",
                        "¡Claro! Abre la línea de tiempo para ver lo que contiene tu proyecto ahora mismo.",
                        "Puedes consultar la página de tu cuenta para ver cuántos créditos te quedan.",
                        "Puedo convertir una imagen fija en un vídeo corto con movimiento fluido. Sube una foto y dime "
                        + "cómo debe moverse.", "He recortado el clip a 3 segundos. Mira la vista previa en la línea de tiempo."),
                new Said("pt", "Pronto! Seu clipe de 5 segundos está pronto. Clique em Exportar para baixá-lo ou veja a "
                        + "pré-visualização na linha do tempo.", "Pronto! Seu clipe de 5 segundos está pronto.",
                        "Primeiro clique em Enviar para adicionar uma imagem e depois me diga como ela deve se mover.",
                        "Adicionei a música de fundo Jazz com volume de 50%. Arraste o controle de volume na linha do "
                        + "tempo para ajustá-lo.", "Adicionei a música de fundo Jazz com volume de 50%.",
                        "Claro! Abra a linha do tempo para ver o que seu projeto tem agora.",
                        "Você pode consultar a página da sua conta para ver quantos créditos ainda restam.",
                        "Posso transformar uma imagem parada em um vídeo curto com movimento suave. Envie uma foto e me "
                        + "diga como ela deve se mover.", "Cortei o clipe para 3 segundos. Veja a pré-visualização na linha do tempo."),
                new Said("ru", "Готово! Ваш клип на 5 с готов. Нажмите «Экспорт», чтобы скачать его, или посмотрите "
                        + "предпросмотр на шкале времени.", "Готово! Ваш клип на 5 с готов.",
                        "Сначала нажмите «Загрузить», чтобы добавить изображение, а затем скажите, как оно должно двигаться.",
                        "Я добавил фоновую музыку Jazz с громкостью 50 %. Перетащите ползунок громкости на шкале "
                        + "времени, чтобы настроить её.", "Я добавил фоновую музыку Jazz с громкостью 50 %.",
                        "Конечно! Откройте шкалу времени, чтобы увидеть, что сейчас в вашем проекте.",
                        "Сколько кредитов у вас осталось, можно проверить на странице аккаунта.",
                        "Готово, я обновил шкалу времени, как вы просили.",
                        "Я обрезал клип до 3 с. Посмотрите предпросмотр на шкале времени."),
                new Said("de", "Fertig! Dein 5-Sekunden-Clip ist bereit. Klicke auf „Exportieren“, um ihn herunterzuladen, "
                        + "oder sieh dir in der Zeitleiste eine Vorschau an.", "Fertig! Dein 5-Sekunden-Clip ist bereit.",
                        "Klicke zuerst auf „Hochladen“, um ein Bild hinzuzufügen, und sag mir dann, wie es sich bewegen soll.",
                        "Ich habe Jazz-Hintergrundmusik mit 50 % Lautstärke hinzugefügt. Ziehe den Lautstärkeregler in "
                        + "der Zeitleiste, um sie anzupassen.", "Ich habe Jazz-Hintergrundmusik mit 50 % Lautstärke hinzugefügt.",
                        "Klar! Öffne die Zeitleiste, um zu sehen, was dein Projekt gerade enthält.",
                        "Auf deiner Kontoseite kannst du nachsehen, wie viele Credits du noch hast.",
                        "Ich kann ein Standbild in ein kurzes Video mit flüssiger Bewegung verwandeln. Lade ein Bild hoch "
                        + "und sag mir, wie es sich bewegen soll. Es bezieht sich auf dein Foto.",
                        "Ich habe den Clip auf 3 Sekunden gekürzt. Sieh dir in der Zeitleiste eine Vorschau an."),
                new Said("fr", "Terminé ! Ton clip de 5 secondes est prêt. Clique sur Exporter pour le télécharger, ou "
                        + "regarde l'aperçu dans la chronologie.", "Terminé ! Ton clip de 5 secondes est prêt.",
                        "Clique d'abord sur Importer pour ajouter une image, puis dis-moi comment elle doit bouger.",
                        "J'ai ajouté la musique de fond Jazz à 50 % du volume. Fais glisser le curseur de volume dans la "
                        + "chronologie pour l'ajuster.", "J'ai ajouté la musique de fond Jazz à 50 % du volume.",
                        "Bien sûr ! Ouvre la chronologie pour voir ce que contient ton projet en ce moment.",
                        "Tu peux consulter la page de ton compte pour voir combien de crédits il te reste.",
                        "Je peux transformer une image fixe en une courte vidéo au mouvement fluide. Importe une photo "
                        + "et dis-moi comment elle doit bouger.", "J'ai raccourci le clip à 3 secondes. Regarde l'aperçu dans la chronologie."));
    }

    @ParameterizedTest
    @MethodSource("languages")
    void theAgentsInterfaceTalkIsTranslatedInEveryLanguageTheBotSpeaks(Said said) {
        Translation done = GuiTranslator.translate(said.done());
        assertThat(done.text()).as(said.lang()).isEqualTo(said.doneKept());
        assertThat(done.followups()).as(said.lang()).containsExactlyInAnyOrder(Followup.EXPORT, Followup.TIMELINE);
        assertThat(GuiTranslator.translate(said.needImage())).as(said.lang())
                .isEqualTo(new Translation("", Set.of(Followup.UPLOAD)));
        Translation music = GuiTranslator.translate(said.music());
        assertThat(music.text()).as(said.lang()).isEqualTo(said.musicKept());
        assertThat(music.followups()).as(said.lang()).containsExactly(Followup.DESCRIBE_EDIT);
        assertThat(GuiTranslator.translate(said.openTimeline())).as(said.lang())
                .isEqualTo(new Translation(GuiTranslator.translate(said.openTimeline()).text(), Set.of(Followup.TIMELINE)));
        assertThat(GuiTranslator.translate(said.openTimeline()).text()).as(said.lang()).doesNotContain("  ")
                .hasSizeLessThan(said.openTimeline().length() / 2);
        assertThat(GuiTranslator.translate(said.checkCredits())).as(said.lang())
                .isEqualTo(new Translation("", Set.of(Followup.CREDITS)));
        assertThat(GuiTranslator.translate(said.trim()).followups()).as(said.lang()).containsExactly(Followup.TIMELINE);
        // what is only about the content passes unchanged (an "upload" without a click is not an instruction)
        assertThat(GuiTranslator.translate(said.content())).as(said.lang())
                .isEqualTo(new Translation(said.content(), Set.of()));
    }

    @Test
    void contentWordsThatLookLikeAnotherLanguagesInstructionsAreKept() {
        for (String content : List.of("The bottle is tipping over in the wind.", "La guitarra toca una melodía suave.",
                "Keep in mind that the exports of this region grow.", "Ten en cuenta que la luz cambia.",
                "Die Wolken ziehen langsam vorbei.", "Es bezieht sich auf das Licht.")) {
            assertThat(GuiTranslator.translate(content)).as(content).isEqualTo(new Translation(content, Set.of()));
        }
    }
}
